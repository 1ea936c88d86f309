package com.personasettings.gateway.db;

import java.util.List;
import java.util.UUID;

/**
 * A row of {@code requests}: a request answered 202, what it asked for ({@code kind}: settings, attach, detach,
 * delete) and the commands it became, in order.
 */
public record RequestRow(UUID id, UUID orgId, String kind, UUID personaId, List<UUID> commandIds) {
}
