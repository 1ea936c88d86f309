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
                                          source_partition, source_offset, succeeded, result, errors)
            values (:commandId, :phoneNumber, :orgId, :commandType, :actor, :issuedAt, :command::jsonb,
                    :sourcePartition, :sourceOffset, :succeeded, :result::jsonb, :errors::jsonb)
            on conflict (command_id, phone_number) do nothing
            """)
    void insert(@BindMethods Collection<OutcomeRow> rows);

    /**
     * For each record of a batch (command id, partition, offset), the first earlier record of the same partition
     * with the same command id, if one is recorded: the record is then a repeat, answered with that first outcome.
     * (A retirement has a row of its own, with no phone number, which sorts first, and one per number it detached.)
     */
    @SqlQuery("""
            select distinct on (b.source_partition, b.source_offset)
                   b.source_partition, b.source_offset, o.command_id, o.phone_number, o.org_id::text,
                   o.result::text, o.errors::text
            from unnest(:ids::uuid[], :partitions::int[], :offsets::bigint[]) as b(command_id, source_partition, source_offset)
            join command_outcomes o on o.command_id = b.command_id and o.source_partition = b.source_partition
                                   and o.source_offset < b.source_offset
            order by b.source_partition, b.source_offset, o.source_offset, o.phone_number
            """)
    @RegisterConstructorMapper(Earlier.class)
    List<Earlier> earlier(@Bind("ids") UUID[] ids, @Bind("partitions") Integer[] partitions,
                          @Bind("offsets") Long[] offsets);

    /**
     * A record of a batch ({@code sourcePartition}, {@code sourceOffset}) whose command id was recorded before.
     * {@code orgId} is text, as commands carry it, to compare with theirs; null when the first one's was not a UUID.
     * {@code result} and {@code errors} are the first outcome as {@link OutcomeRow} holds it.
     */
    record Earlier(int sourcePartition, long sourceOffset, UUID commandId, String phoneNumber, String orgId,
                   String result, String errors) {
    }

    @SqlQuery("""
            select command_id, phone_number, org_id, command_type, actor, issued_at, command::text,
                   source_partition, source_offset, succeeded, result::text, errors::text
            from command_outcomes where command_id = :commandId
            """)
    Optional<OutcomeRow> find(@Bind("commandId") UUID commandId);

    /** Who sent each command recorded in a partition before an offset: the ids a replay from there has seen. */
    @SqlQuery("""
            select command_id, phone_number, org_id::text from command_outcomes
            where source_partition = :partition and source_offset < :offset
            order by source_offset, phone_number
            """)
    @RegisterConstructorMapper(Sender.class)
    List<Sender> sendersBefore(@Bind("partition") int partition, @Bind("offset") long offset);

    /** {@code orgId} as in {@link Earlier}. */
    record Sender(UUID commandId, String phoneNumber, String orgId) {
    }

    /** The numbers that commands of the partition before the offset were about: its numbers at that point. */
    @SqlQuery("""
            select distinct phone_number from command_outcomes
            where source_partition = :partition and source_offset < :offset and phone_number <> ''
            """)
    List<String> numbersBefore(@Bind("partition") int partition, @Bind("offset") long offset);

    /** The personas the partition retired before the offset (RetirePersona; see Decider.retire). */
    @SqlQuery("""
            select org_id::text, command->>'persona_id' as persona_id from command_outcomes
            where source_partition = :partition and source_offset < :offset
              and command_type = 'RetirePersona' and succeeded
            """)
    @RegisterConstructorMapper(Retired.class)
    List<Retired> retiredBefore(@Bind("partition") int partition, @Bind("offset") long offset);

    record Retired(String orgId, String personaId) {
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
