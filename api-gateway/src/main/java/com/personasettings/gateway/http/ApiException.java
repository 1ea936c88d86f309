package com.personasettings.gateway.http;

import com.personasettings.schemas.ErrorCode;

import java.util.Map;

/** A request that cannot be served, answered as Bland's error envelope with its code's status. */
public final class ApiException extends RuntimeException {

    private final ErrorCode code;
    private final Map<String, Object> details;

    /** With the code's own message. */
    public ApiException(ErrorCode code) {
        this(code, code.message(), null);
    }

    public ApiException(ErrorCode code, String message) {
        this(code, message, null);
    }

    /** @param details extra facts about the error (Bland's {@code details}), or null */
    public ApiException(ErrorCode code, String message, Map<String, Object> details) {
        super(message);
        this.code = code;
        this.details = details;
    }

    public static ApiException invalid(String message) {
        return new ApiException(ErrorCode.INVALID_REQUEST, message);
    }

    public static ApiException personaNotFound() {
        return new ApiException(ErrorCode.PERSONA_NOT_FOUND);
    }

    public int status() {
        return code.httpStatus();
    }

    public String code() {
        return code.code();
    }

    public Map<String, Object> envelope() {
        return Envelope.error(code.code(), getMessage(), details);
    }
}
