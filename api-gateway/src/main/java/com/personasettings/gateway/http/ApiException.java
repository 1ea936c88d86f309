package com.personasettings.gateway.http;

import com.personasettings.gateway.limits.RateLimits;
import com.personasettings.schemas.ErrorCode;

import java.util.Map;

/** A request that cannot be served, answered as Bland's error envelope with its code's status. */
public final class ApiException extends RuntimeException {

    private final ErrorCode code;
    private final Map<String, Object> details;
    /** Seconds the caller should wait before retrying ({@code Retry-After}), or 0 when the header is not sent. */
    private final long retryAfterSeconds;

    /** With the code's own message. */
    public ApiException(ErrorCode code) {
        this(code, code.message(), null);
    }

    public ApiException(ErrorCode code, String message) {
        this(code, message, null);
    }

    /** @param details extra facts about the error (Bland's {@code details}), or null */
    public ApiException(ErrorCode code, String message, Map<String, Object> details) {
        this(code, message, details, 0);
    }

    private ApiException(ErrorCode code, String message, Map<String, Object> details, long retryAfterSeconds) {
        // An answer, not a fault: no stack trace, which would cost more than the rest of a refusal (a profile of a
        // flood of bad keys showed filling it in at a tenth of the gateway's time).
        super(message, null, false, false);
        this.code = code;
        this.details = details;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** 429 for a rate limit used up, naming which one, with {@code Retry-After}. */
    public static ApiException tooManyRequests(RateLimits.Verdict verdict) {
        long seconds = verdict.retryAfterSeconds();
        return new ApiException(ErrorCode.TOO_MANY_REQUESTS, "Too many requests (" + verdict.limit()
                + " limit); retry after " + seconds + " s", Map.of("limit", verdict.limit()), seconds);
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

    /** Seconds for {@code Retry-After}, or 0 for none. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public Map<String, Object> envelope() {
        return Envelope.error(code.code(), getMessage(), details);
    }
}
