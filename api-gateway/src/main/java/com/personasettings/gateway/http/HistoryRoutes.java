package com.personasettings.gateway.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.personasettings.gateway.auth.Caller;
import com.personasettings.gateway.db.NumbersReadDao;
import io.javalin.http.Context;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * GET /v1/personas/{persona_id}/inbound/{phone_number}/history: every command the caller's org sent for the
 * number, accepted or refused, newest first, with its outcome: the audit trail, read from what the processor
 * recorded.
 */
final class HistoryRoutes {

    private final PersonaRoutes personas;
    private final NumbersReadDao numbers;
    private final ObjectMapper json;

    HistoryRoutes(PersonaRoutes personas, NumbersReadDao numbers, ObjectMapper json) {
        this.personas = personas;
        this.numbers = numbers;
        this.json = json;
    }

    void history(Context ctx) {
        Caller caller = HttpApi.caller(ctx);
        personas.find(caller, ctx.pathParam("persona_id"));
        String phone = RequestBodies.phoneNumber(ctx.pathParam("phone_number"), "phone_number");
        int page = PersonaRoutes.intParam(ctx, "page", 1, 1, Integer.MAX_VALUE / PersonaRoutes.MAX_PAGE_SIZE);
        int limit = PersonaRoutes.intParam(ctx, "limit", 20, 1, PersonaRoutes.MAX_PAGE_SIZE);
        List<Map<String, Object>> entries = numbers.history(caller.orgId(), phone, limit, (page - 1) * limit)
                .stream().map(entry -> entry(caller.orgId().toString(), entry)).toList();
        ctx.json(Envelope.data(entries));
    }

    private Map<String, Object> entry(String orgId, NumbersReadDao.HistoryEntry entry) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("command_id", entry.commandId().toString());
        map.put("type", entry.commandType());
        map.put("actor", entry.actor());
        map.put("issued_at", NumberJson.timestamp(entry.issuedAt()));
        map.put("request", StoredJson.read(json, entry.command()));
        map.put("outcome", Answers.envelope(StoredOutcomes.read(json, entry.commandId(), orgId, entry.phoneNumber(),
                entry.result(), entry.errors())));
        return map;
    }

}
