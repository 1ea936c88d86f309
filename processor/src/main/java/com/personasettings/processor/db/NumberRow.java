package com.personasettings.processor.db;

import java.time.Instant;

/**
 * A row of {@code inbound_numbers}. {@code personaSettings} is JSON text or null; {@code sourceOffset} is the
 * command log offset of the command that produced this state.
 */
public record NumberRow(String phoneNumber, long id, String orgId, String label, String personaId,
                        String personaSettings, Instant updatedAt, long sourceOffset) {
}
