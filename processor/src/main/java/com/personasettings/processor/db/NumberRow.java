package com.personasettings.processor.db;

import java.time.Instant;
import java.util.UUID;

/**
 * A row of {@code inbound_numbers}. {@code personaSettings} is JSON text or null; {@code sourceOffset} is the
 * command log offset of the command that produced this state.
 *
 * @param released a tombstone: the number left its org at {@code sourceOffset}. It keeps the offset, so no older
 *                 write (a stale instance, a batch processed again) can bring the number back; id, org and the
 *                 rest are null. Reads ignore tombstones.
 */
public record NumberRow(String phoneNumber, Long id, UUID orgId, String label, String personaId,
                        String personaSettings, Instant updatedAt, long sourceOffset, boolean released) {
}
