package com.personasettings.client;

import java.time.Instant;
import java.util.UUID;

/**
 * A phone number as the processor left it after a command.
 *
 * @param id        the numeric id given when the number was provisioned
 * @param label     null when it has none
 * @param personaId the persona it is attached to, or null
 * @param settings  its own settings, or null when the persona's defaults apply
 * @param updatedAt {@code issued_at} of the last command that changed it
 */
public record NumberState(long id, String phoneNumber, UUID orgId, String label, UUID personaId, Settings settings,
                          Instant updatedAt) {
}
