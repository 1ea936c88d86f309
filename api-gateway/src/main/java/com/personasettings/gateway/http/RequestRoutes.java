package com.personasettings.gateway.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.personasettings.gateway.auth.Caller;
import com.personasettings.gateway.db.AcceptedCommandsDao;
import com.personasettings.gateway.db.NumbersReadDao;
import com.personasettings.gateway.db.RequestRow;
import com.personasettings.schemas.CommandOutcome;
import com.personasettings.schemas.ErrorCode;
import io.javalin.http.Context;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The status URLs. {@code GET /v1/requests/{request_id}}: while pending, the same 202 the request was answered
 * with; then what the synchronous request would have answered. {@code GET /v1/commands/{command_id}}: one
 * command's outcome, for commands other services sent straight to Kafka as well.
 */
final class RequestRoutes {

    private final NumbersReadDao numbers;
    private final AcceptedCommandsDao accepted;
    private final Answers answers;
    private final ObjectMapper json;

    RequestRoutes(NumbersReadDao numbers, AcceptedCommandsDao accepted, Answers answers, ObjectMapper json) {
        this.numbers = numbers;
        this.accepted = accepted;
        this.answers = answers;
        this.json = json;
    }

    void request(Context ctx) {
        Caller caller = HttpApi.caller(ctx);
        UUID requestId = uuid(ctx.pathParam("request_id"), "request_id");
        RequestRow request = accepted.request(caller.orgId(), requestId).orElse(null);
        if (request == null) {
            // A settings change is its one command: found by its outcome though its 202 could not be recorded.
            CommandOutcome outcome = outcomes(caller, List.of(requestId)).get(requestId);
            if (outcome == null) {
                throw new ApiException(ErrorCode.REQUEST_NOT_FOUND);
            }
            Answers.of(outcome).writeTo(ctx);
            return;
        }
        RequestKind kind = RequestKind.ofStored(request.kind());
        Answers.Answer pending = Answers.pending(request.id(), request.commandIds());
        Map<UUID, CommandOutcome> outcomes = outcomes(caller, request.commandIds());
        if (outcomes.size() < request.commandIds().size()) {
            pending.writeTo(ctx);
            return;
        }
        answers.of(caller, kind, request.personaId(), request.commandIds().stream().map(outcomes::get).toList())
                .writeTo(ctx);
    }

    void command(Context ctx) {
        Caller caller = HttpApi.caller(ctx);
        UUID commandId = uuid(ctx.pathParam("command_id"), "command_id");
        CommandOutcome outcome = outcomes(caller, List.of(commandId)).get(commandId);
        if (outcome != null) {
            Answers.of(outcome).writeTo(ctx);
        } else if (accepted.exists(caller.orgId(), commandId)) {
            Map<String, Object> data = new java.util.LinkedHashMap<>();
            data.put("status", "pending");
            data.put("command_id", commandId.toString());
            ctx.status(202).json(Envelope.data(data));
        } else {
            throw new ApiException(ErrorCode.COMMAND_NOT_FOUND);
        }
    }

    private Map<UUID, CommandOutcome> outcomes(Caller caller, List<UUID> commandIds) {
        String org = caller.orgId().toString();
        return numbers.outcomes(caller.orgId(), commandIds).stream()
                .map(o -> StoredOutcomes.read(json, o.commandId(), org, o.phoneNumber(), o.result(), o.errors()))
                .collect(Collectors.toMap(o -> o.getCommandId(), Function.identity()));
    }

    private static UUID uuid(String raw, String name) {
        try {
            return UUID.fromString(raw);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid(name + " must be a UUID");
        }
    }
}
