package com.personasettings.client;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The command id of a command: random, or derived from an idempotency key.
 *
 * <p>A derived id is a name-based UUID of (service name, org, key, kind of command, phone number): the same key sent
 * again by the same service for the same change of the same number gives the same id, and the processor answers the
 * repeat with the first outcome. This is the gateway's rule for its {@code Idempotency-Key} (org, key, request,
 * number) in a client's terms, with two differences:
 * <ul>
 *   <li>The key belongs to a service, not to an org's API key: two services may use the same keys. An id derived here
 *   never equals one the gateway derives, so a key sent both over HTTP and through this client names two commands.
 *   <li>Nothing remembers which request a key was first used for (the gateway keeps that in PostgreSQL and answers a
 *   reuse with {@code IDEMPOTENCY_KEY_REUSED}). Reusing a key for other settings of the same number gives the same id,
 *   and the processor answers with the first outcome without applying the new settings: use one key per change.
 * </ul>
 */
final class CommandIds {

    /** Keeps these ids apart from any other name-based UUIDs built from the same strings. */
    private static final String NAMESPACE = "persona-settings-client";

    private CommandIds() {
    }

    static UUID of(String service, Command command) {
        if (command.idempotencyKey() == null) {
            return UUID.randomUUID();
        }
        return UUID.nameUUIDFromBytes(String.join("\n", NAMESPACE, service, command.orgId().toString(),
                command.idempotencyKey(), command.kind(), command.phoneNumber()).getBytes(StandardCharsets.UTF_8));
    }
}
