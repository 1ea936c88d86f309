package com.personasettings.processor.db;

import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** SQL for {@code command_outcomes}. */
@RegisterConstructorMapper(OutcomeRow.class)
public interface OutcomesDao {

    /** A command already recorded keeps its first outcome: a batch written again inserts nothing. */
    @SqlBatch("""
            insert into command_outcomes (command_id, phone_number, org_id, command_type, actor, issued_at, command,
                                          source_partition, source_offset, succeeded, outcome)
            values (:commandId, :phoneNumber, :orgId, :commandType, :actor, :issuedAt, :command::jsonb,
                    :sourcePartition, :sourceOffset, :succeeded, :outcome::jsonb)
            on conflict (command_id, phone_number) do nothing
            """)
    void insert(@BindMethods Collection<OutcomeRow> rows);

    @SqlQuery("""
            select command_id, phone_number, org_id, command_type, actor, issued_at, command::text,
                   source_partition, source_offset, succeeded, outcome::text
            from command_outcomes where command_id = :commandId
            """)
    Optional<OutcomeRow> find(@Bind("commandId") UUID commandId);

    /** Who sent each command recorded in a partition before an offset: the ids a replay from there has seen. */
    @SqlQuery("""
            select command_id, phone_number, org_id from command_outcomes
            where source_partition = :partition and source_offset < :offset
            order by source_offset
            """)
    @RegisterConstructorMapper(Sender.class)
    List<Sender> sendersBefore(@Bind("partition") int partition, @Bind("offset") long offset);

    record Sender(UUID commandId, String phoneNumber, String orgId) {
    }

    @SqlQuery("""
            select exists (select 1 from command_outcomes where source_partition = :partition and source_offset >= :offset)
            """)
    boolean anyFrom(@Bind("partition") int partition, @Bind("offset") long offset);

    @SqlQuery("select count(*) from command_outcomes")
    long count();

    @SqlQuery("select count(*) from command_outcomes where not succeeded")
    long failures();

    @SqlQuery("select count(*) from command_outcomes where phone_number = :phoneNumber")
    long countFor(@Bind("phoneNumber") String phoneNumber);
}
