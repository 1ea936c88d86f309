package com.personasettings.processor.domain;

/** An entry of the {@code errors} array of Bland's {@code {data, errors}} envelope. */
public record ApiError(String code, String message) {

    /** Bland's code and exact message for the settings endpoint. */
    public static final ApiError INBOUND_NOT_FOUND =
            new ApiError("INBOUND_NOT_FOUND", "Inbound number not found or not attached to this persona");

    /** Bland's code and exact message for attach. */
    public static final ApiError INVALID_INBOUND_NUMBERS =
            new ApiError("INVALID_INBOUND_NUMBERS", "Some phone numbers were not found or do not belong to you");

    public static final ApiError NUMBER_ALREADY_PROVISIONED =
            new ApiError("NUMBER_ALREADY_PROVISIONED", "Phone number is already provisioned");

    public static final ApiError NUMBER_NOT_FOUND =
            new ApiError("INBOUND_NOT_FOUND", "Inbound number not found");

    public static ApiError invalidRequest(String message) {
        return new ApiError("INVALID_REQUEST", message);
    }
}
