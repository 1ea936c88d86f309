package com.personasettings.domain;

import com.personasettings.schemas.ErrorCode;

/**
 * An entry of an outcome's {@code errors}: a code of the one list both services share ({@link ErrorCode}) and
 * the message for this case.
 */
public record ApiError(String code, String message) {

    public static final ApiError INBOUND_NOT_FOUND = of(ErrorCode.INBOUND_NOT_FOUND);

    public static final ApiError INVALID_INBOUND_NUMBERS = of(ErrorCode.INVALID_INBOUND_NUMBERS);

    public static final ApiError NUMBER_ALREADY_PROVISIONED = of(ErrorCode.NUMBER_ALREADY_PROVISIONED);

    /** Releasing a number nobody provisioned: the settings endpoint's code, without its persona clause. */
    public static final ApiError NOT_PROVISIONED = new ApiError(ErrorCode.INBOUND_NOT_FOUND, "Inbound number not found");

    public ApiError(ErrorCode code, String message) {
        this(code.code(), message);
    }

    public static ApiError of(ErrorCode code) {
        return new ApiError(code, code.message());
    }

    public static ApiError invalidRequest(String message) {
        return new ApiError(ErrorCode.INVALID_REQUEST, message);
    }
}
