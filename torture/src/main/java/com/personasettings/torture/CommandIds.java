package com.personasettings.torture;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * The command ids a keyed request produces, computed the way the gateway computes them (README: "Idempotency-Key
 * makes the command id a function of (org, K, request, number)", the request being the method and the path as the
 * gateway normalises it), so a synchronous answer, which names no id, can
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
                intent.idempotencyKey(), intent.method() + " " + normalised(intent.path()), phone)
                .getBytes(StandardCharsets.UTF_8))).toList();
    }

    /** The path as the gateway names the request: percent-decoded ({@code %2B} is {@code +}), persona in lower case. */
    static String normalised(String path) {
        // URLDecoder reads '+' as a space (form encoding); in a path it is a plus.
        return URLDecoder.decode(path.replace("+", "%2B"), StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
    }
}
