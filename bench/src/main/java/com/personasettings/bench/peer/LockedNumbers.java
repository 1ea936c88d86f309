package com.personasettings.bench.peer;

import com.personasettings.processor.db.NumberRow;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.util.Optional;

/** The peer's own SQL on the processor's {@code inbound_numbers}: a number read and locked, then changed. */
@RegisterConstructorMapper(NumberRow.class)
interface LockedNumbers {

    /**
     * The number's row (a tombstone included: see {@link NumberRow#released()}), locked until the transaction ends,
     * so that concurrent changes to one number run one after another, as they do in the number's partition.
     */
    @SqlQuery("""
            select phone_number, id, org_id, label, persona_id, persona_settings::text, updated_at, source_offset,
                   released
            from inbound_numbers where phone_number = :phoneNumber
            for update
            """)
    Optional<NumberRow> lock(@Bind("phoneNumber") String phoneNumber);

    /** What a settings change changes; the row is locked, so no guard is needed. */
    @SqlUpdate("""
            update inbound_numbers
            set persona_settings = :personaSettings::jsonb, updated_at = :updatedAt, source_offset = :sourceOffset
            where phone_number = :phoneNumber
            """)
    void update(@BindMethods NumberRow row);
}
