package com.personasettings.gateway.http;

import com.personasettings.gateway.auth.Caller;
import com.personasettings.schemas.ApiError;
import com.personasettings.schemas.CommandOutcome;
import com.personasettings.schemas.ErrorCode;
import io.javalin.http.Context;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Bland's answer to a request, from the outcomes of its commands: the one place it is built, for the
 * synchronous reply, for {@code /v1/requests/{id}} and {@code /v1/commands/{id}}, and for history entries.
 */
public final class Answers {

    /** An HTTP answer: status, body and, while pending, where to look again. */
    public record Answer(int status, Map<String, Object> body, String location) {

        public void writeTo(Context ctx) {
            if (location != null) {
                ctx.header("Location", location);
            }
            ctx.status(status).json(body);
        }
    }

    private final PersonaRoutes personas;

    Answers(PersonaRoutes personas) {
        this.personas = personas;
    }

    /** What the request answers once every command's outcome is in (outcomes in the order of the commands). */
    Answer of(Caller caller, RequestKind kind, UUID personaId, List<CommandOutcome> outcomes) {
        return switch (kind) {
            case SETTINGS -> of(outcomes.get(0));
            case ATTACH, DETACH -> firstFailure(outcomes).map(Answers::of)
                    // A number can still change between the check and its command (released meanwhile, say).
                    .orElseGet(() -> persona(caller, personaId));
            case DELETE -> deleted(outcomes);
        };
    }

    /**
     * The persona as it is now; gone if a delete retired it since the commands were processed (their numbers were
     * then detached by the retirement): answered as any request for it is now.
     */
    private Answer persona(Caller caller, UUID personaId) {
        try {
            return new Answer(200, Envelope.data(personas.json(caller, personas.find(caller, personaId.toString()))),
                    null);
        } catch (ApiException gone) {
            return new Answer(gone.status(), Envelope.error(gone.code(), gone.getMessage(), null), null);
        }
    }

    /** One command's outcome: the number record, or its first error with the status of the code. */
    public static Answer of(CommandOutcome outcome) {
        if (outcome.getErrors() != null && !outcome.getErrors().isEmpty()) {
            return new Answer(ErrorCode.httpStatusOf(outcome.getErrors().get(0).getError()), envelope(outcome), null);
        }
        return new Answer(200, envelope(outcome), null);
    }

    /** The {@code {data, errors}} of one outcome, in Bland's field order. */
    static Map<String, Object> envelope(CommandOutcome outcome) {
        if (outcome.getErrors() != null && !outcome.getErrors().isEmpty()) {
            Map<String, Object> envelope = new LinkedHashMap<>();
            envelope.put("data", null);
            envelope.put("errors", outcome.getErrors().stream().map(Answers::error).toList());
            return envelope;
        }
        return Envelope.data(outcome.getData() == null ? null : NumberJson.record(outcome.getData()));
    }

    /**
     * A request still being processed: 202 with the same body and {@code Location} whether the request itself was
     * answered so or its status URL is polled.
     */
    static Answer pending(UUID requestId, List<UUID> commandIds) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("status", "pending");
        data.put("request_id", requestId.toString());
        data.put("command_ids", commandIds.stream().map(UUID::toString).toList());
        return new Answer(202, Envelope.data(data), location(requestId));
    }

    static String location(UUID requestId) {
        return "/v1/requests/" + requestId;
    }

    /** A deletion's answer from its retirements' outcomes: done, or the first failure rather than a false success. */
    static Answer deleted(List<CommandOutcome> outcomes) {
        return firstFailure(outcomes).map(Answers::of).orElseGet(Answers::deleted);
    }

    static Answer deleted() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("success", true);
        data.put("message", "Persona deleted");
        return new Answer(200, Envelope.data(data), null);
    }

    private static Optional<CommandOutcome> firstFailure(List<CommandOutcome> outcomes) {
        return outcomes.stream().filter(o -> o.getErrors() != null && !o.getErrors().isEmpty()).findFirst();
    }

    private static Map<String, Object> error(ApiError error) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("error", error.getError());
        map.put("message", error.getMessage());
        return map;
    }
}
