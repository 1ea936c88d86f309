package com.personasettings.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.personasettings.gateway.auth.Caller;
import com.personasettings.gateway.db.AcceptedCommandsDao;
import com.personasettings.gateway.db.NumbersReadDao;
import io.javalin.http.Context;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** GET /v1/commands/{command_id}: what the request would have answered, or 202 while it is pending. */
final class CommandRoutes {

    private final NumbersReadDao numbers;
    private final AcceptedCommandsDao accepted;
    private final ObjectMapper json;

    CommandRoutes(NumbersReadDao numbers, AcceptedCommandsDao accepted, ObjectMapper json) {
        this.numbers = numbers;
        this.accepted = accepted;
        this.json = json;
    }

    void status(Context ctx) {
        Caller caller = HttpApi.caller(ctx);
        UUID commandId;
        try {
            commandId = UUID.fromString(ctx.pathParam("command_id"));
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("command_id must be a UUID");
        }
        Optional<String> outcome = numbers.outcome(caller.orgId(), commandId);
        if (outcome.isPresent()) {
            JsonNode envelope = StoredJson.read(json, outcome.get());
            JsonNode errors = envelope.get("errors");
            int status = errors == null || errors.isNull() || errors.isEmpty() ? 200
                    : Outcomes.status(errors.get(0).get("error").asText());
            ctx.status(status).json(envelope);
        } else if (accepted.exists(caller.orgId(), commandId)) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("status", "pending");
            data.put("command_id", commandId.toString());
            ctx.status(202).json(Envelope.data(data));
        } else {
            throw new ApiException(404, "COMMAND_NOT_FOUND", "Command not found");
        }
    }

}
