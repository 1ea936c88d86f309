package com.personasettings.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.personasettings.gateway.auth.Caller;
import com.personasettings.gateway.db.NumberView;
import com.personasettings.gateway.db.NumbersReadDao;
import com.personasettings.gateway.db.PersonaRow;
import com.personasettings.gateway.db.PersonasDao;
import com.personasettings.gateway.lifecycle.Retirements;
import com.personasettings.schemas.ErrorCode;
import com.personasettings.schemas.InboundCommand;
import com.personasettings.schemas.rules.FieldRules;
import io.javalin.http.Context;
import org.apache.kafka.common.KafkaException;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.IntSupplier;

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
    /** Deleting sends commands like any other change: the persona's retirement. */
    private final Submission submission;
    private final Commands commands;
    private final IdempotencyKeys idempotencyKeys;
    /** How many partitions the commands topic has: a deletion sends a retirement to each. */
    private final IntSupplier commandPartitions;

    PersonaRoutes(RequestBodies bodies, PersonasDao personas, NumbersReadDao numbers, ObjectMapper json, Clock clock,
                  Submission submission, Commands commands, IdempotencyKeys idempotencyKeys,
                  IntSupplier commandPartitions) {
        this.bodies = bodies;
        this.personas = personas;
        this.numbers = numbers;
        this.json = json;
        this.clock = clock;
        this.submission = submission;
        this.commands = commands;
        this.idempotencyKeys = idempotencyKeys;
        this.commandPartitions = commandPartitions;
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
        int partitions = commandPartitions();
        idempotencyKeys.claim(caller, key, request, null);
        // Deleted here first: from now on the persona is gone for every request to this API. Its retirement, one
        // command per partition of the log, makes it gone for the processor too: each partition detaches what is
        // attached to it at that point (the numbers above, and any attach that raced this delete) and refuses every
        // later attach, whoever sends it. Should the caller not wait, or a command not be confirmed, the sweeper
        // sends the same commands again until every partition has processed one.
        personas.delete(caller.orgId(), persona.id());
        List<InboundCommand> retirements = Retirements.of(caller.orgId(), persona.id(), caller.actor(),
                Instant.now(clock).truncatedTo(ChronoUnit.MILLIS), partitions);
        submission.submit(ctx, caller, new Submission.Request(commands.requestId(caller, key, request),
                RequestKind.DELETE, persona.id()), retirements, Answers::deleted);
    }

    /** The commands topic's partition count, before anything is changed: 503 when the broker cannot tell. */
    private int commandPartitions() {
        try {
            return commandPartitions.getAsInt();
        } catch (KafkaException e) {
            throw new ApiException(ErrorCode.SERVICE_UNAVAILABLE, "The broker could not be reached; nothing was "
                    + "deleted. Retry later.");
        }
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
