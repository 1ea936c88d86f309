package com.personasettings.gateway.http;

import com.personasettings.schemas.ApiError;
import com.personasettings.schemas.CommandOutcome;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A processor outcome as an HTTP answer. */
final class Outcomes {

    private Outcomes() {
    }

    /** 200 on success; otherwise the status that goes with the first error's code. */
    static int status(CommandOutcome outcome) {
        return outcome.getErrors() == null || outcome.getErrors().isEmpty() ? 200 : status(outcome.getErrors().get(0).getError());
    }

    static int status(String errorCode) {
        return switch (errorCode) {
            case "INBOUND_NOT_FOUND", "PERSONA_NOT_FOUND" -> 404;
            case "NUMBER_ALREADY_PROVISIONED", "PERSONA_IN_USE" -> 409;
            default -> 400; // INVALID_REQUEST, INVALID_INBOUND_NUMBERS
        };
    }

    /** The failure envelope of an outcome, exactly as the processor worded it (Bland's field order). */
    static Map<String, Object> errorEnvelope(CommandOutcome outcome) {
        List<Map<String, Object>> errors = outcome.getErrors().stream().map(Outcomes::error).toList();
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("data", null);
        envelope.put("errors", errors);
        return envelope;
    }

    private static Map<String, Object> error(ApiError error) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("error", error.getError());
        map.put("message", error.getMessage());
        return map;
    }
}
