package com.personasettings.bench.peer;

import com.fasterxml.jackson.databind.JsonNode;
import com.personasettings.gateway.auth.Caller;
import com.personasettings.gateway.http.Answers;
import com.personasettings.gateway.http.Commands;
import com.personasettings.gateway.http.RequestBodies;
import com.personasettings.schemas.InboundCommand;
import com.personasettings.schemas.UpdatePersonaSettings;
import io.javalin.http.Context;

/**
 * {@code PATCH /v1/personas/{persona_id}/inbound/{phone_number}/settings}, answered in the request: the gateway's
 * parsing and checks ({@link RequestBodies}), its command ({@link Commands}: command id, {@code issued_at}), then
 * one transaction in place of Kafka and the processor, and the gateway's rendering of the outcome ({@link Answers}).
 * No {@code Idempotency-Key}, no {@code Prefer: respond-async}: the peer has no log to replay or to wait on.
 */
final class SettingsEndpoint {

    private final RequestBodies bodies;
    private final Commands commands;
    private final SettingsTransaction transaction;

    SettingsEndpoint(RequestBodies bodies, Commands commands, SettingsTransaction transaction) {
        this.bodies = bodies;
        this.commands = commands;
        this.transaction = transaction;
    }

    void update(Context ctx, Caller caller) {
        String personaId = RequestBodies.personaId(ctx.pathParam("persona_id"));
        String phone = RequestBodies.phoneNumber(ctx.pathParam("phone_number"), "phone_number");
        JsonNode body = bodies.object(ctx.bodyAsBytes());
        UpdatePersonaSettings update = new UpdatePersonaSettings(personaId, bodies.personaSettings(body));
        // No idempotency key, so no request to derive the command id from: a random one, as the gateway's.
        InboundCommand command = commands.command(caller, null, null, phone, update);
        Answers.of(transaction.apply(command)).writeTo(ctx);
    }
}
