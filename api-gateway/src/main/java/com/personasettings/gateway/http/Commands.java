package com.personasettings.gateway.http;

import com.personasettings.gateway.auth.Caller;
import com.personasettings.schemas.InboundCommand;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/** Builds commands for a request: stamps issued_at once, and picks the command id. */
public final class Commands {

    private final Clock clock;

    public Commands(Clock clock) {
        this.clock = clock;
    }

    /**
     * The id of a request that becomes commands: with an {@code Idempotency-Key}, derived from (org, key, request)
     * like the command ids, so that a retry is the same request with the same status URL.
     */
    UUID requestId(Caller caller, String idempotencyKey, String request) {
        return idempotencyKey == null ? RandomIds.next() : derived(caller, idempotencyKey, request, "request");
    }

    /**
     * @param idempotencyKey the request's {@code Idempotency-Key}, or null. With a key the command id is
     *                       derived from (org, key, request, number), so a retry sends the same command id
     *                       and the processor answers it with the first outcome instead of applying it again.
     */
    public InboundCommand command(Caller caller, String idempotencyKey, String request, String phoneNumber, Object payload) {
        UUID commandId = idempotencyKey == null ? RandomIds.next()
                : derived(caller, idempotencyKey, request, phoneNumber);
        return InboundCommand.newBuilder()
                .setCommandId(commandId)
                .setOrgId(caller.orgId().toString())
                // Avro's timestamp-millis: drop what it cannot carry, so the outcome echoes exactly this instant.
                .setIssuedAt(Instant.now(clock).truncatedTo(ChronoUnit.MILLIS))
                .setActor(caller.actor())
                .setPhoneNumber(phoneNumber)
                .setPayload(payload)
                .build();
    }

    private static UUID derived(Caller caller, String idempotencyKey, String request, String last) {
        return UUID.nameUUIDFromBytes(String.join("\n", caller.orgId().toString(), idempotencyKey, request, last)
                .getBytes(StandardCharsets.UTF_8));
    }
}
