package com.personasettings.processor.db;

import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

import java.util.Collection;
import java.util.Optional;
import java.util.UUID;

/** SQL for {@code command_outcomes}. */
@RegisterConstructorMapper(OutcomeRow.class)
public interface OutcomesDao {

    /** A command id already recorded keeps its first outcome: replays and duplicates insert nothing. */
    @SqlBatch("""
            insert into command_outcomes (command_id, phone_number, org_id, command_type, actor, issued_at, command,
                                          source_partition, source_offset, succeeded, outcome)
            values (:commandId, :phoneNumber, :orgId, :commandType, :actor, :issuedAt, :command::jsonb,
                    :sourcePartition, :sourceOffset, :succeeded, :outcome::jsonb)
            on conflict (command_id) do nothing
            """)
    void insert(@BindMethods Collection<OutcomeRow> rows);

    @SqlQuery("""
            select command_id, phone_number, org_id, command_type, actor, issued_at, command::text,
                   source_partition, source_offset, succeeded, outcome::text
            from command_outcomes where command_id = :commandId
            """)
    Optional<OutcomeRow> find(@Bind("commandId") UUID commandId);

    @SqlQuery("select count(*) from command_outcomes")
    long count();

    @SqlQuery("select count(*) from command_outcomes where not succeeded")
    long failures();

    @SqlQuery("select count(*) from command_outcomes where phone_number = :phoneNumber")
    long countFor(@Bind("phoneNumber") String phoneNumber);
}
