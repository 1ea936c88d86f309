package com.personasettings.schemas;

import java.util.Optional;

/**
 * Every error code the API answers with, the HTTP status that goes with it and Bland's wording where Bland has
 * one. The processor puts the first four into outcomes (the {@code error} field of {@link ApiError}); the
 * gateway answers the others itself. The status of an outcome's error comes from here and nowhere else.
 */
public enum ErrorCode {

    // Outcomes of commands, decided by the processor.
    /** Bland's code and exact message for the settings endpoint. */
    INBOUND_NOT_FOUND(404, "Inbound number not found or not attached to this persona"),
    /** Bland's code and exact message for attach. */
    INVALID_INBOUND_NUMBERS(400, "Some phone numbers were not found or do not belong to you"),
    NUMBER_ALREADY_PROVISIONED(409, "Phone number is already provisioned"),
    /** A value the rules refuse; the message names it. */
    INVALID_REQUEST(400, "The request is not valid"),

    // Answers of the gateway.
    AUTH_FAILURE(401, "Invalid API key"),
    PERSONA_NOT_FOUND(404, "Persona not found or access denied"),
    PERSONA_IN_USE(409, "Persona is attached to inbound numbers; detach them or use force=true"),
    COMMAND_NOT_FOUND(404, "Command not found"),
    REQUEST_NOT_FOUND(404, "Request not found"),
    /** Stripe's rule: a key names one request; sent with another body or to another endpoint it is refused. */
    IDEMPOTENCY_KEY_REUSED(422, "This Idempotency-Key was sent before with a different request; use a new key for a new request"),
    NOT_FOUND(404, "No such endpoint"),
    METHOD_NOT_ALLOWED(405, "Method not allowed"),
    PAYLOAD_TOO_LARGE(413, "Request body too large"),
    URI_TOO_LONG(414, "URI too long"),
    HEADERS_TOO_LARGE(431, "Request headers too large"),
    /** A rate limit used up; the answer's {@code Retry-After} says when to try again. */
    TOO_MANY_REQUESTS(429, "Too many requests; retry after the number of seconds in Retry-After"),
    INTERNAL_ERROR(500, "Something went wrong on our side"),
    SERVICE_UNAVAILABLE(503, "Service unavailable; retry");

    private final int httpStatus;
    private final String message;

    ErrorCode(int httpStatus, String message) {
        this.httpStatus = httpStatus;
        this.message = message;
    }

    /** The code as it appears in the envelope's {@code error} field. */
    public String code() {
        return name();
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** The message that goes with the code when nothing more specific is said. */
    public String message() {
        return message;
    }

    /** @return the code of that name; empty for one this version does not know (a newer processor's) */
    public static Optional<ErrorCode> of(String code) {
        for (ErrorCode known : values()) {
            if (known.name().equals(code)) {
                return Optional.of(known);
            }
        }
        return Optional.empty();
    }

    /** The status of an outcome's error code; a code this version does not know is a refusal of the request. */
    public static int httpStatusOf(String code) {
        return of(code).map(ErrorCode::httpStatus).orElse(400);
    }

    /** The generic code of a status that arose without one (Javalin's and Jetty's own errors). */
    public static ErrorCode forStatus(int status) {
        return switch (status) {
            case 404 -> NOT_FOUND;
            case 405 -> METHOD_NOT_ALLOWED;
            case 413 -> PAYLOAD_TOO_LARGE;
            case 414 -> URI_TOO_LONG;
            case 429 -> TOO_MANY_REQUESTS;
            case 431 -> HEADERS_TOO_LARGE;
            case 503 -> SERVICE_UNAVAILABLE;
            default -> status < 500 ? INVALID_REQUEST : INTERNAL_ERROR;
        };
    }
}
