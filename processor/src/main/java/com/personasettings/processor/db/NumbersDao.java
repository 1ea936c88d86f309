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

    /**
     * Writes each number's new state, or its tombstone when released, unless a newer one (by command log offset)
     * is already there. A release is an upsert too, never a delete: a deleted row would take its offset with it,
     * and an older write arriving later could bring the number back.
     */
    @SqlBatch("""
            insert into inbound_numbers (phone_number, id, org_id, label, persona_id, persona_settings, updated_at,
                                         source_offset, released)
            values (:phoneNumber, :id, :orgId, :label, :personaId, :personaSettings::jsonb, :updatedAt, :sourceOffset,
                    :released)
            on conflict (phone_number) do update set
                id = excluded.id, org_id = excluded.org_id, label = excluded.label,
                persona_id = excluded.persona_id, persona_settings = excluded.persona_settings,
                updated_at = excluded.updated_at, source_offset = excluded.source_offset, released = excluded.released
            where inbound_numbers.source_offset < excluded.source_offset
            """)
    void upsert(@BindMethods Collection<NumberRow> rows);

    /** The number's row, tombstone included (see {@link NumberRow#released()}). */
    @SqlQuery("""
            select phone_number, id, org_id, label, persona_id, persona_settings::text, updated_at, source_offset,
                   released
            from inbound_numbers where phone_number = :phoneNumber
            """)
    Optional<NumberRow> find(@Bind("phoneNumber") String phoneNumber);

}
