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
 * keeps its row, marked {@code deleted_at}, then {@code retired_at} once the processor has retired it everywhere.
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
     * Deleted personas not yet retired in every partition, deleted at least {@code graceSeconds} ago (so that the
     * delete request's own commands are usually processed first), oldest first.
     */
    @SqlQuery("""
            select org_id, id from personas
            where deleted_at is not null and retired_at is null
              and deleted_at < now() - make_interval(secs => :graceSeconds)
            order by deleted_at limit :limit
            """)
    @RegisterConstructorMapper(Deleted.class)
    List<Deleted> unretired(@Bind("graceSeconds") double graceSeconds, @Bind("limit") int limit);

    record Deleted(UUID orgId, UUID id) {
    }

    /**
     * Persona ids that numbers are attached to but no persona of their org has: an attach another service sent over
     * Kafka to an id this API never created. Reads every attached number, so it is run seldom (see PersonaSweeper).
     */
    @SqlQuery("""
            select distinct n.org_id, n.persona_id::uuid as id from inbound_numbers n
            where n.persona_id is not null and not n.released
              and n.persona_id ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
              and not exists (select 1 from personas p where p.id::text = n.persona_id and p.org_id = n.org_id)
            limit :limit
            """)
    @RegisterConstructorMapper(Deleted.class)
    List<Deleted> unknownWithNumbers(@Bind("limit") int limit);

    /** Every partition has processed the persona's retirement. */
    @SqlUpdate("update personas set retired_at = now() where id = :id and org_id = :orgId and retired_at is null")
    void retired(@Bind("orgId") UUID orgId, @Bind("id") UUID id);
}
