package com.personasettings.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.personasettings.gateway.auth.Caller;
import com.personasettings.gateway.db.NumberView;
import com.personasettings.gateway.db.NumbersReadDao;
import com.personasettings.gateway.db.PersonaRow;
import com.personasettings.schemas.AttachToPersona;
import com.personasettings.schemas.DetachFromPersona;
import com.personasettings.schemas.ErrorCode;
import com.personasettings.schemas.InboundCommand;
import com.personasettings.schemas.UpdatePersonaSettings;
import io.javalin.http.Context;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The endpoints that change numbers: per-number settings, attach and detach. Each change is a command. */
final class NumberRoutes {

    private final RequestBodies bodies;
    private final Commands commands;
    private final Submission submission;
    private final PersonaRoutes personas;
    private final Answers answers;
    private final NumbersReadDao numbers;

    NumberRoutes(RequestBodies bodies, Commands commands, Submission submission, PersonaRoutes personas,
                 Answers answers, NumbersReadDao numbers) {
        this.bodies = bodies;
        this.commands = commands;
        this.submission = submission;
        this.personas = personas;
        this.answers = answers;
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
        // The persona id in the path need not name a persona of ours (Bland answers INBOUND_NOT_FOUND then).
        // One command: the request is its command, so its status URL works even if recording the 202 failed.
        submission.submit(ctx, caller, new Submission.Request(command.getCommandId(), RequestKind.SETTINGS, null),
                List.of(command), outcomes -> Answers.of(outcomes.get(0)));
    }

    /**
     * POST /v1/personas/{id}/inbound/attach. All or nothing: every number must be the caller's, checked
     * before any command is sent. A number attached to another persona moves to this one.
     */
    void attach(Context ctx) {
        Caller caller = HttpApi.caller(ctx);
        PersonaRow persona = personas.find(caller, ctx.pathParam("id"));
        List<String> requested = bodies.inboundNumbers(bodies.object(ctx.bodyAsBytes()));
        Set<String> owned = new HashSet<>(numbers.ownedAmong(caller.orgId().toString(), requested));
        if (!owned.containsAll(requested)) {
            throw new ApiException(ErrorCode.INVALID_INBOUND_NUMBERS);
        }
        submitForEach(ctx, caller, persona, RequestKind.ATTACH, requested, new AttachToPersona(persona.id().toString()));
    }

    /** POST /v1/personas/{id}/inbound/detach. Only numbers attached to this persona are affected. */
    void detach(Context ctx) {
        Caller caller = HttpApi.caller(ctx);
        PersonaRow persona = personas.find(caller, ctx.pathParam("id"));
        List<String> requested = bodies.inboundNumbers(bodies.object(ctx.bodyAsBytes()));
        Set<String> attached = new HashSet<>(numbers.attachedTo(caller.orgId().toString(), persona.id().toString())
                .stream().map(NumberView::phoneNumber).toList());
        List<String> affected = requested.stream().filter(attached::contains).toList();
        if (affected.isEmpty()) {
            ctx.json(Envelope.data(personas.json(caller, persona)));
            return;
        }
        submitForEach(ctx, caller, persona, RequestKind.DETACH, affected, new DetachFromPersona(persona.id().toString()));
    }

    private void submitForEach(Context ctx, Caller caller, PersonaRow persona, RequestKind kind, List<String> phones,
                               Object payload) {
        String key = ctx.header("Idempotency-Key");
        String request = "POST " + ctx.path();
        List<InboundCommand> batch = phones.stream()
                .map(phone -> commands.command(caller, key, request, phone, payload)).toList();
        submission.submit(ctx, caller, new Submission.Request(commands.requestId(caller, key, request), kind,
                persona.id()), batch, outcomes -> answers.of(caller, kind, persona.id(), outcomes));
    }
}
