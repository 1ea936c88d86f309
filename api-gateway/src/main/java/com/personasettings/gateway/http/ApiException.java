package com.personasettings.gateway.http;

import java.util.Map;

/** A request that cannot be served, answered as Bland's error envelope with this status and code. */
public final class ApiException extends RuntimeException {

    private final int status;
    private final String code;
    private final Map<String, Object> details;

    public ApiException(int status, String code, String message) {
        this(status, code, message, null);
    }

    public ApiException(int status, String code, String message, Map<String, Object> details) {
        super(message);
        this.status = status;
        this.code = code;
        this.details = details;
    }

    public static ApiException invalid(String message) {
        return new ApiException(400, "INVALID_REQUEST", message);
    }

    public static ApiException personaNotFound() {
        return new ApiException(404, "PERSONA_NOT_FOUND", "Persona not found or access denied");
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public Map<String, Object> envelope() {
        return Envelope.error(code, getMessage(), details);
    }
}
