package com.personasettings.gateway.db;

import java.time.Instant;
import java.util.UUID;

/** A row of {@code personas}. */
public record PersonaRow(UUID id, UUID orgId, String name, String description, Instant createdAt, Instant updatedAt) {
}
