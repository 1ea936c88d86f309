package com.personasettings.gateway.db;

import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Personas, always scoped by org: another org's persona is never found. */
@RegisterConstructorMapper(PersonaRow.class)
public interface PersonasDao {

    @SqlUpdate("""
            insert into personas (id, org_id, name, description, created_at, updated_at)
            values (:id, :orgId, :name, :description, :createdAt, :updatedAt)
            """)
    void insert(@BindMethods PersonaRow persona);

    @SqlQuery("select * from personas where id = :id and org_id = :orgId")
    Optional<PersonaRow> find(@Bind("orgId") UUID orgId, @Bind("id") UUID id);

    @SqlQuery("select * from personas where org_id = :orgId order by created_at, id limit :limit offset :offset")
    List<PersonaRow> page(@Bind("orgId") UUID orgId, @Bind("limit") int limit, @Bind("offset") int offset);

    /** The org that owns a persona; for operator tools, never for requests (those are always org-scoped). */
    @SqlQuery("select org_id from personas where id = :id")
    Optional<UUID> ownerOf(@Bind("id") UUID id);

    @SqlUpdate("delete from personas where id = :id and org_id = :orgId")
    int delete(@Bind("orgId") UUID orgId, @Bind("id") UUID id);
}
