package com.personasettings.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.personasettings.domain.ApiError;
import com.personasettings.domain.Change;
import com.personasettings.gateway.auth.Caller;
import com.personasettings.gateway.db.PersonaRow;
import com.personasettings.schemas.AttachToPersona;
import com.personasettings.schemas.DetachFromPersona;
import com.personasettings.schemas.ErrorCode;
import com.personasettings.schemas.InboundCommand;
import com.personasettings.schemas.UpdatePersonaSettings;
import io.javalin.http.Context;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The endpoints that change numbers: per-number settings, attach and detach. Each change is a command. */
final class NumberRoutes {

    private final RequestBodies bodies;
    private final Commands commands;
    private final Submission submission;
    private final PersonaRoutes personas;
    private final Answers answers;
    private final PreChecks preChecks;
    private final IdempotencyKeys idempotencyKeys;

    NumberRoutes(RequestBodies bodies, Commands commands, Submission submission, PersonaRoutes personas,
                 Answers answers, PreChecks preChecks, IdempotencyKeys idempotencyKeys) {
        this.bodies = bodies;
        this.commands = commands;
        this.submission = submission;
        this.personas = personas;
        this.answers = answers;
        this.preChecks = preChecks;
        this.idempotencyKeys = idempotencyKeys;
    }

    /** PATCH /v1/personas/{persona_id}/inbound/{phone_number}/settings */
    void updateSettings(Context ctx) {
        Caller caller = HttpApi.caller(ctx);
        String personaId = RequestBodies.personaId(ctx.pathParam("persona_id"));
        String phone = RequestBodies.phoneNumber(ctx.pathParam("phone_number"), "phone_number");
        JsonNode body = bodies.object(ctx.bodyAsBytes());
        UpdatePersonaSettings update = new UpdatePersonaSettings(personaId, bodies.personaSettings(body));
        // The path as the request means it, whatever its spelling (%2B or +, persona id in capitals).
        String request = "PATCH /v1/personas/" + personaId + "/inbound/" + phone + "/settings";
        String key = ctx.header("Idempotency-Key");
        idempotencyKeys.claim(caller, key, request, body);
        InboundCommand command = commands.command(caller, key, request, phone, update);
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
        JsonNode body = bodies.object(ctx.bodyAsBytes());
        List<String> requested = bodies.inboundNumbers(body);
        Change.Attach attach = new Change.Attach(persona.id().toString());
        Optional<ApiError> refused = preChecks.decide(caller, requested, attach).values().stream()
                .filter(d -> !d.outcome().succeeded()).map(d -> d.outcome().errors().get(0)).findFirst();
        if (refused.isPresent()) {
            throw new ApiException(ErrorCode.of(refused.get().code()).orElse(ErrorCode.INVALID_REQUEST),
                    refused.get().message());
        }
        String request = "POST /v1/personas/" + persona.id() + "/inbound/attach";
        idempotencyKeys.claim(caller, ctx.header("Idempotency-Key"), request, body);
        submitForEach(ctx, caller, persona, RequestKind.ATTACH, request, requested, new AttachToPersona(attach.personaId()));
    }

    /**
     * POST /v1/personas/{id}/inbound/detach. Only numbers attached to this persona are affected: commands go for
     * the numbers the rules say the detach changes.
     */
    void detach(Context ctx) {
        Caller caller = HttpApi.caller(ctx);
        PersonaRow persona = personas.find(caller, ctx.pathParam("id"));
        JsonNode body = bodies.object(ctx.bodyAsBytes());
        List<String> requested = bodies.inboundNumbers(body);
        String request = "POST /v1/personas/" + persona.id() + "/inbound/detach";
        idempotencyKeys.claim(caller, ctx.header("Idempotency-Key"), request, body);
        Change.Detach detach = new Change.Detach(persona.id().toString());
        List<String> affected = preChecks.decide(caller, requested, detach).entrySet().stream()
                .filter(e -> e.getValue().changed()).map(Map.Entry::getKey).toList();
        if (affected.isEmpty()) {
            ctx.json(Envelope.data(personas.json(caller, persona)));
            return;
        }
        submitForEach(ctx, caller, persona, RequestKind.DETACH, request, affected, new DetachFromPersona(detach.personaId()));
    }

    private void submitForEach(Context ctx, Caller caller, PersonaRow persona, RequestKind kind, String request,
                               List<String> phones, Object payload) {
        String key = ctx.header("Idempotency-Key");
        List<InboundCommand> batch = phones.stream()
                .map(phone -> commands.command(caller, key, request, phone, payload)).toList();
        submission.submit(ctx, caller, new Submission.Request(commands.requestId(caller, key, request), kind,
                persona.id()), batch, outcomes -> answers.of(caller, kind, persona.id(), outcomes));
    }
}
