package com.personasettings.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.personasettings.gateway.auth.Caller;
import com.personasettings.gateway.db.NumberView;
import com.personasettings.gateway.db.NumbersReadDao;
import com.personasettings.gateway.db.PersonaRow;
import com.personasettings.schemas.AttachToPersona;
import com.personasettings.schemas.CommandOutcome;
import com.personasettings.schemas.DetachFromPersona;
import com.personasettings.schemas.InboundCommand;
import com.personasettings.schemas.UpdatePersonaSettings;
import io.javalin.http.Context;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The endpoints that change numbers: per-number settings, attach and detach. Each change is a command. */
final class NumberRoutes {

    private final RequestBodies bodies;
    private final Commands commands;
    private final Submission submission;
    private final PersonaRoutes personas;
    private final NumbersReadDao numbers;

    NumberRoutes(RequestBodies bodies, Commands commands, Submission submission, PersonaRoutes personas,
                 NumbersReadDao numbers) {
        this.bodies = bodies;
        this.commands = commands;
        this.submission = submission;
        this.personas = personas;
        this.numbers = numbers;
    }

    /** PATCH /v1/personas/{persona_id}/inbound/{phone_number}/settings */
    void updateSettings(Context ctx) {
        Caller caller = HttpApi.caller(ctx);
        String personaId = RequestBodies.personaId(ctx.pathParam("persona_id"));
        String phone = RequestBodies.phoneNumber(ctx.pathParam("phone_number"), "phone_number");
        JsonNode body = bodies.object(ctx.bodyAsBytes());
        InboundCommand command = commands.command(caller, ctx.header("Idempotency-Key"), "PATCH " + ctx.path(), phone,
                new UpdatePersonaSettings(personaId, bodies.personaSettings(body)));
        submission.submit(ctx, caller, List.of(command), outcomes -> {
            CommandOutcome outcome = outcomes.get(0);
            if (outcome.getErrors() != null) {
                ctx.status(Outcomes.status(outcome)).json(Outcomes.errorEnvelope(outcome));
            } else {
                ctx.status(200).json(Envelope.data(NumberJson.record(outcome.getData())));
            }
        });
    }

    /**
     * POST /v1/personas/{id}/inbound/attach. All or nothing: every number must be the caller's, checked
     * before any command is sent. A number attached to another persona moves to this one.
     */
    void attach(Context ctx) {
        Caller caller = HttpApi.caller(ctx);
        PersonaRow persona = personas.find(caller, ctx.pathParam("id"));
        List<String> requested = bodies.inboundNumbers(bodies.object(ctx.bodyAsBytes()));
        Set<String> owned = new HashSet<>(numbers.ownedAmong(caller.orgId(), requested));
        if (!owned.containsAll(requested)) {
            throw new ApiException(400, "INVALID_INBOUND_NUMBERS", "Some phone numbers were not found or do not belong to you");
        }
        submitForEach(ctx, caller, persona, requested, new AttachToPersona(persona.id().toString()));
    }

    /** POST /v1/personas/{id}/inbound/detach. Only numbers attached to this persona are affected. */
    void detach(Context ctx) {
        Caller caller = HttpApi.caller(ctx);
        PersonaRow persona = personas.find(caller, ctx.pathParam("id"));
        List<String> requested = bodies.inboundNumbers(bodies.object(ctx.bodyAsBytes()));
        Set<String> attached = new HashSet<>(numbers.attachedTo(caller.orgId(), persona.id().toString())
                .stream().map(NumberView::phoneNumber).toList());
        List<String> affected = requested.stream().filter(attached::contains).toList();
        if (affected.isEmpty()) {
            ctx.json(Envelope.data(personas.json(caller, persona)));
            return;
        }
        submitForEach(ctx, caller, persona, affected, new DetachFromPersona(persona.id().toString()));
    }

    private void submitForEach(Context ctx, Caller caller, PersonaRow persona, List<String> phones, Object payload) {
        String key = ctx.header("Idempotency-Key");
        String request = "POST " + ctx.path();
        List<InboundCommand> batch = phones.stream()
                .map(phone -> commands.command(caller, key, request, phone, payload)).toList();
        submission.submit(ctx, caller, batch, outcomes -> {
            // A number can still change between the check and its command (released meanwhile, say).
            Optional<CommandOutcome> failed = outcomes.stream().filter(o -> o.getErrors() != null).findFirst();
            if (failed.isPresent()) {
                ctx.status(Outcomes.status(failed.get())).json(Outcomes.errorEnvelope(failed.get()));
            } else {
                ctx.json(Envelope.data(personas.json(caller, persona)));
            }
        });
    }
}
