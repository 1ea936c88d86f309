package com.personasettings.gateway.db;

import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Personas, always scoped by org: another org's persona is never found, nor a deleted one. A deleted persona
 * keeps its row, marked {@code deleted_at}, so that the sweeper can find numbers still attached to it.
 */
@RegisterConstructorMapper(PersonaRow.class)
public interface PersonasDao {

    @SqlUpdate("""
            insert into personas (id, org_id, name, description, created_at, updated_at)
            values (:id, :orgId, :name, :description, :createdAt, :updatedAt)
            """)
    void insert(@BindMethods PersonaRow persona);

    String COLUMNS = "id, org_id, name, description, created_at, updated_at";

    @SqlQuery("select " + COLUMNS + " from personas where id = :id and org_id = :orgId and deleted_at is null")
    Optional<PersonaRow> find(@Bind("orgId") UUID orgId, @Bind("id") UUID id);

    @SqlQuery("select " + COLUMNS + " from personas where org_id = :orgId and deleted_at is null "
            + "order by created_at, id limit :limit offset :offset")
    List<PersonaRow> page(@Bind("orgId") UUID orgId, @Bind("limit") int limit, @Bind("offset") int offset);

    /** The org that owns a persona; for operator tools, never for requests (those are always org-scoped). */
    @SqlQuery("select org_id from personas where id = :id and deleted_at is null")
    Optional<UUID> ownerOf(@Bind("id") UUID id);

    /** @return 1 if this call deleted it, 0 if it was gone already */
    @SqlUpdate("update personas set deleted_at = now() where id = :id and org_id = :orgId and deleted_at is null")
    int delete(@Bind("orgId") UUID orgId, @Bind("id") UUID id);

    /**
     * Numbers still attached to deleted personas (a force-delete's detaches not yet processed, or an attach that
     * raced the delete), oldest deletions first.
     */
    @SqlQuery("""
            select n.org_id, n.phone_number, n.persona_id, n.source_offset
            from personas p join inbound_numbers n on n.persona_id = p.id::text and n.org_id = p.org_id
            where p.deleted_at is not null and not n.released
            order by p.deleted_at limit :limit
            """)
    @RegisterConstructorMapper(Stranded.class)
    List<Stranded> stranded(@Bind("limit") int limit);

    /** A number attached to a deleted persona; {@code sourceOffset} tells one attachment from a later one. */
    record Stranded(String orgId, String phoneNumber, String personaId, long sourceOffset) {
    }
}
