package com.personasettings.gateway.http;

import com.personasettings.schemas.ErrorCode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Bland's response envelope: {@code {"data": ..., "errors": null}} or {@code {"data": null, "errors": [...]}}. */
public final class Envelope {

    private Envelope() {
    }

    public static Map<String, Object> data(Object data) {
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("data", data);
        envelope.put("errors", null);
        return envelope;
    }

    public static Map<String, Object> error(String code, String message) {
        return error(code, message, null);
    }

    /** The error with its code's own message. */
    public static Map<String, Object> error(ErrorCode code) {
        return error(code.code(), code.message(), null);
    }

    /**
     * An error for a status that has no code of its own from where it arose (Javalin's and Jetty's own errors):
     * the generic code that goes with the status.
     */
    public static Map<String, Object> errorFor(int status, String message) {
        return error(codeFor(status), message);
    }

    static String codeFor(int status) {
        return ErrorCode.forStatus(status).code();
    }

    /** @param details extra facts about the error (Bland's {@code details}), or null */
    public static Map<String, Object> error(String code, String message, Map<String, Object> details) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("error", code);
        error.put("message", message);
        if (details != null) {
            error.put("details", details);
        }
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("data", null);
        envelope.put("errors", List.of(error));
        return envelope;
    }
}
