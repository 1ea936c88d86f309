package com.personasettings.processor.db;

import java.time.Instant;
import java.util.UUID;

/** A row of {@code command_outcomes}. {@code command} and {@code outcome} are JSON text. */
public record OutcomeRow(UUID commandId, String phoneNumber, String orgId, String commandType, String actor,
                         Instant issuedAt, String command, int sourcePartition, long sourceOffset,
                         boolean succeeded, String outcome) {
}
