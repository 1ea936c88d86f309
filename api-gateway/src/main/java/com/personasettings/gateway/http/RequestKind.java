package com.personasettings.gateway.http;

import java.util.Locale;

/** What a request that becomes commands asks for; it decides how their outcomes answer it. */
enum RequestKind {
    /** PATCH .../settings: one command; its outcome is the answer. */
    SETTINGS,
    /** POST .../inbound/attach: the persona, or the first failure. */
    ATTACH,
    /** POST .../inbound/detach: the persona, or the first failure. */
    DETACH,
    /** DELETE /v1/personas/{id}: done when every partition has retired the persona (detached its numbers). */
    DELETE;

    /** As stored in {@code requests.kind}. */
    String stored() {
        return name().toLowerCase(Locale.ROOT);
    }

    static RequestKind ofStored(String stored) {
        return valueOf(stored.toUpperCase(Locale.ROOT));
    }
}
