package com.personasettings.processor.db;

import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

import java.util.Collection;
import java.util.Optional;

/** SQL for {@code inbound_numbers}. */
@RegisterConstructorMapper(NumberRow.class)
public interface NumbersDao {

    @SqlBatch("""
            insert into inbound_numbers (phone_number, id, org_id, label, persona_id, persona_settings, updated_at,
                                         source_offset)
            values (:phoneNumber, :id, :orgId, :label, :personaId, :personaSettings::jsonb, :updatedAt, :sourceOffset)
            on conflict (phone_number) do update set
                id = excluded.id, org_id = excluded.org_id, label = excluded.label,
                persona_id = excluded.persona_id, persona_settings = excluded.persona_settings,
                updated_at = excluded.updated_at, source_offset = excluded.source_offset
            where inbound_numbers.source_offset < excluded.source_offset
            """)
    void upsert(@BindMethods Collection<NumberRow> rows);

    /** Removes released numbers, unless a newer state (a later provisioning) is already there. */
    @SqlBatch("delete from inbound_numbers where phone_number = :phoneNumber and source_offset < :sourceOffset")
    void delete(@BindMethods Collection<Release> releases);

    /** A number that left its org, by the command at {@code sourceOffset}. */
    record Release(String phoneNumber, long sourceOffset) {
    }

    @SqlQuery("""
            select phone_number, id, org_id, label, persona_id, persona_settings::text, updated_at, source_offset
            from inbound_numbers where phone_number = :phoneNumber
            """)
    Optional<NumberRow> find(@Bind("phoneNumber") String phoneNumber);

}
