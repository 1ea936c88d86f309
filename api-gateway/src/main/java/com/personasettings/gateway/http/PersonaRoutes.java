package com.personasettings.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.personasettings.gateway.auth.Caller;
import com.personasettings.gateway.db.NumberView;
import com.personasettings.gateway.db.NumbersReadDao;
import com.personasettings.gateway.db.PersonaRow;
import com.personasettings.gateway.db.PersonasDao;
import com.personasettings.schemas.DetachFromPersona;
import com.personasettings.schemas.ErrorCode;
import com.personasettings.schemas.InboundCommand;
import com.personasettings.schemas.rules.FieldRules;
import io.javalin.http.Context;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The persona resource, enough to set up and inspect state: personas live in the gateway's own table;
 * their {@code inbound_numbers} are read from what the processor recorded.
 */
final class PersonaRoutes {

    /** In characters; a name is held to {@link FieldRules#MAX_CHARACTERS}. */
    static final int MAX_DESCRIPTION = 4 * FieldRules.MAX_CHARACTERS;
    static final int MAX_PAGE_SIZE = 100;

    private final RequestBodies bodies;
    private final PersonasDao personas;
    private final NumbersReadDao numbers;
    private final ObjectMapper json;
    private final Clock clock;
    /** Deleting with force detaches the numbers first, through commands like any other change. */
    private final Submission submission;
    private final Commands commands;
    private final IdempotencyKeys idempotencyKeys;

    PersonaRoutes(RequestBodies bodies, PersonasDao personas, NumbersReadDao numbers, ObjectMapper json, Clock clock,
                  Submission submission, Commands commands, IdempotencyKeys idempotencyKeys) {
        this.bodies = bodies;
        this.personas = personas;
        this.numbers = numbers;
        this.json = json;
        this.clock = clock;
        this.submission = submission;
        this.commands = commands;
        this.idempotencyKeys = idempotencyKeys;
    }

    /** POST /v1/personas */
    void create(Context ctx) {
        Caller caller = HttpApi.caller(ctx);
        JsonNode body = bodies.object(ctx.bodyAsBytes());
        String name = bodies.requiredText(body, "name");
        String description = bodies.optionalText(body, "", "description", MAX_DESCRIPTION);
        Instant now = Instant.now(clock).truncatedTo(ChronoUnit.MILLIS);
        PersonaRow persona = new PersonaRow(UUID.randomUUID(), caller.orgId(), name, description, now, now);
        personas.insert(persona);
        ctx.json(Envelope.data(json(caller, persona)));
    }

    /** GET /v1/personas?page=1&limit=20 */
    void list(Context ctx) {
        Caller caller = HttpApi.caller(ctx);
        int page = intParam(ctx, "page", 1, 1, Integer.MAX_VALUE / MAX_PAGE_SIZE);
        int limit = intParam(ctx, "limit", 20, 1, MAX_PAGE_SIZE);
        List<Map<String, Object>> found = personas.page(caller.orgId(), limit, (page - 1) * limit).stream()
                .map(p -> json(caller, p)).toList();
        ctx.json(Envelope.data(found));
    }

    /** GET /v1/personas/{id} */
    void get(Context ctx) {
        Caller caller = HttpApi.caller(ctx);
        ctx.json(Envelope.data(json(caller, find(caller, ctx.pathParam("id")))));
    }

    /** DELETE /v1/personas/{id}?force=false */
    void delete(Context ctx) {
        Caller caller = HttpApi.caller(ctx);
        PersonaRow persona = find(caller, ctx.pathParam("id"));
        boolean force = "true".equalsIgnoreCase(ctx.queryParam("force"));
        List<String> using = numbers.attachedTo(caller.orgId(), persona.id().toString()).stream()
                .map(NumberView::phoneNumber).toList();
        if (!using.isEmpty() && !force) {
            throw new ApiException(ErrorCode.PERSONA_IN_USE, ErrorCode.PERSONA_IN_USE.message(),
                    Map.of("persona_id", persona.id().toString(), "phone_numbers_using", using));
        }
        String key = ctx.header("Idempotency-Key");
        String request = "DELETE /v1/personas/" + persona.id() + "?force=" + force;
        idempotencyKeys.claim(caller, key, request, null);
        // Deleted first: from now on the persona is gone for every request (an attach to it is refused), so no
        // number can join it behind the detaches. One that raced this delete is detached by the sweeper.
        personas.delete(caller.orgId(), persona.id());
        if (using.isEmpty()) {
            Answers.deleted().writeTo(ctx);
            return;
        }
        List<InboundCommand> detaches = using.stream().map(phone -> commands.command(caller, key, request, phone,
                new DetachFromPersona(persona.id().toString()))).toList();
        // Whether the caller waits or not, the numbers are detached: by these commands, or else by the sweeper.
        submission.submit(ctx, caller, new Submission.Request(commands.requestId(caller, key, request),
                RequestKind.DELETE, persona.id()), detaches, outcomes -> Answers.deleted());
    }

    PersonaRow find(Caller caller, String rawId) {
        UUID id = UUID.fromString(RequestBodies.personaId(rawId));
        return personas.find(caller.orgId(), id).orElseThrow(ApiException::personaNotFound);
    }

    Map<String, Object> json(Caller caller, PersonaRow persona) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("id", persona.id().toString());
        map.put("name", persona.name());
        map.put("description", persona.description());
        map.put("inbound_numbers", numbers.attachedTo(caller.orgId(), persona.id().toString()).stream()
                .map(n -> NumberJson.attached(n, json)).toList());
        map.put("created_at", NumberJson.timestamp(persona.createdAt()));
        map.put("updated_at", NumberJson.timestamp(persona.updatedAt()));
        return map;
    }

    static int intParam(Context ctx, String name, int defaultValue, int min, int max) {
        String raw = ctx.queryParam(name);
        if (raw == null) {
            return defaultValue;
        }
        try {
            int value = Integer.parseInt(raw);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // fall through to the error below
        }
        throw ApiException.invalid(name + " must be an integer from " + min + " to " + max);
    }
}
