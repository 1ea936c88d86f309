package com.personasettings.torture;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/**
 * The command ids a keyed request produces, computed the way the gateway computes them (README: "Idempotency-Key
 * makes the command id a function of (org, K, request, number)"), so a synchronous answer, which names no id, can
 * still be matched with its outcome rows. The ledger checks the rule against every 202 of a keyed request, which
 * does name its ids: should the gateway derive them differently, that check fails first and says so.
 */
final class CommandIds {

    private CommandIds() {
    }

    static List<UUID> of(String orgId, Intent intent) {
        if (!intent.keyed()) {
            throw new IllegalArgumentException("request " + intent.id() + " has no Idempotency-Key");
        }
        return intent.phones().stream().map(phone -> UUID.nameUUIDFromBytes(String.join("\n", orgId,
                intent.idempotencyKey(), intent.method() + " " + intent.path(), phone).getBytes(StandardCharsets.UTF_8)))
                .toList();
    }
}
