package com.personasettings.gateway.db;

import java.time.Instant;

/** An inbound number as the processor recorded it ({@code inbound_numbers}); settings are JSON text or null. */
public record NumberView(String phoneNumber, long id, String label, String personaId, String personaSettings,
                         Instant updatedAt) {
}
