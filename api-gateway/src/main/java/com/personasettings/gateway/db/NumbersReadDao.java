package com.personasettings.gateway.db;

import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Reads what the processor wrote: numbers and recorded outcomes. The gateway never writes these tables. A
 * released number's row is a tombstone ({@code released}): every read here leaves it out. Org ids are uuid here as
 * in the gateway's own tables, and bound as UUIDs.
 */
@RegisterConstructorMapper(NumberView.class)
public interface NumbersReadDao {

    @SqlQuery("""
            select phone_number, id, label, persona_id, persona_settings::text, updated_at
            from inbound_numbers where org_id = :orgId and persona_id = :personaId and not released
            order by phone_number
            """)
    List<NumberView> attachedTo(@Bind("orgId") UUID orgId, @Bind("personaId") String personaId);

    @SqlQuery("""
            select phone_number from inbound_numbers
            where org_id = :orgId and phone_number in (<phones>) and not released
            """)
    List<String> ownedAmong(@Bind("orgId") UUID orgId, @BindList("phones") Collection<String> phones);

    /** The numbers among these that are provisioned, whatever their org: the rules tell another org's apart. */
    @SqlQuery("""
            select phone_number, id, org_id, label, persona_id, updated_at from inbound_numbers
            where phone_number in (<phones>) and not released
            """)
    @RegisterConstructorMapper(RecordedNumber.class)
    List<RecordedNumber> states(@BindList("phones") Collection<String> phones);

    /** A provisioned number's owner and persona as the processor recorded them. */
    record RecordedNumber(String phoneNumber, long id, String orgId, String label, String personaId,
                          java.time.Instant updatedAt) {
    }

    @SqlQuery("select org_id from inbound_numbers where phone_number = :phoneNumber and not released")
    Optional<UUID> orgOf(@Bind("phoneNumber") String phoneNumber);

    /** One page of a number's recorded commands within an org, newest (last processed) first. */
    @SqlQuery("""
            select command_id, phone_number, command_type, actor, issued_at, command::text, result::text, errors::text
            from command_outcomes where org_id = :orgId and phone_number = :phoneNumber
            order by source_offset desc limit :limit offset :offset
            """)
    @RegisterConstructorMapper(HistoryEntry.class)
    List<HistoryEntry> history(@Bind("orgId") UUID orgId, @Bind("phoneNumber") String phoneNumber,
                               @Bind("limit") int limit, @Bind("offset") int offset);

    /**
     * A recorded command; {@code command} (the payload) is JSON text, {@code result} and {@code errors} its outcome as
     * {@link StoredOutcome} holds it.
     */
    record HistoryEntry(UUID commandId, String phoneNumber, String commandType, String actor, java.time.Instant issuedAt, String command,
                        String result, String errors) {
    }

    /**
     * The stored outcomes of the org's processed commands among these ids. Ids the gateway gives are unique per
     * number; should another producer reuse one for several numbers, the first processed answers. A retirement's
     * own row (no phone number) comes before the rows of the numbers it detached.
     */
    @SqlQuery("""
            select distinct on (command_id) command_id, phone_number, result::text, errors::text
            from command_outcomes where command_id = any(:commandIds) and org_id = :orgId
            order by command_id, source_partition, source_offset, phone_number
            """)
    @RegisterConstructorMapper(StoredOutcome.class)
    List<StoredOutcome> outcomes(@Bind("orgId") UUID orgId, @Bind("commandIds") List<UUID> commandIds);

    /**
     * A processed command's outcome as the processor stored it, in the contract's form (JSON text): {@code result}
     * the number after the command in InboundNumber's field names, null on failure; {@code errors} the ApiErrors,
     * null on success.
     */
    record StoredOutcome(UUID commandId, String phoneNumber, String result, String errors) {
    }
}
