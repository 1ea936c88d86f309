package com.personasettings.torture;

import java.util.List;

/**
 * One request the generator means to make, however many times it is sent (retries and deliberate repeats carry
 * the same {@code Idempotency-Key}, body and path).
 *
 * @param id             the generator's own number for it, unique in a run
 * @param kind           what it asks for; decides which answers and outcomes are possible
 * @param path           exactly as sent (the phone number percent-encoded): command ids derived from an
 *                       {@code Idempotency-Key} include it
 * @param idempotencyKey the key, or null: without one, every send would be a new command, so such requests are
 *                       never retried
 * @param phones         the numbers the request produces a command for, in the order the gateway sends them
 * @param token          a value unique to this request inside its body ({@code pathway_id}), found again in the
 *                       command's outcome row; null for bodies that cannot carry one (a clear, an attach)
 * @param gateway        the gateway (0 or 1) of the first send; retries and repeats go to the other one
 * @param repeat         whether the request is sent once more after its first answer, as a client that is
 *                       unsure whether it was heard would (only with a key)
 */
record Intent(long id, Kind kind, String method, String path, String body, String idempotencyKey, boolean async,
              List<String> phones, String token, int gateway, boolean repeat) {

    enum Kind {
        /** Attaching the numbers to their personas before the load starts. */
        SETUP_ATTACH,
        /** New settings for a number on the persona it may be attached to. */
        PATCH_SET,
        /** {@code persona_settings: null}: back to the persona's defaults. */
        PATCH_CLEAR,
        /** A persona the number is certainly not attached to: INBOUND_NOT_FOUND. */
        PATCH_WRONG_PERSONA,
        /** A negative pathway_version: INVALID_REQUEST. */
        PATCH_INVALID,
        /** Several numbers moved to a persona in one request: one command per number. */
        ATTACH
    }

    boolean keyed() {
        return idempotencyKey != null;
    }
}
