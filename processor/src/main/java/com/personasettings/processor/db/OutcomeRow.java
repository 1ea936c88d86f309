package com.personasettings.processor.db;

import java.time.Instant;
import java.util.UUID;

/**
 * A row of {@code command_outcomes}. {@code command}, {@code result} and {@code errors} are JSON text: the payload,
 * and the outcome in the contract's form (the number after the command, in InboundNumber's field names, or null on
 * failure; the ApiErrors, or null on success). {@code orgId} is null for a command refused because its org_id is not
 * a UUID (the command log keeps what it was).
 */
public record OutcomeRow(UUID commandId, String phoneNumber, UUID orgId, String commandType, String actor,
                         Instant issuedAt, String command, int sourcePartition, long sourceOffset,
                         boolean succeeded, String result, String errors) {
}
