package com.personasettings.schemas;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ErrorCodeTest {

    @Test
    void blandsCodesCarryBlandsStatusesAndWording() {
        assertThat(ErrorCode.INBOUND_NOT_FOUND.httpStatus()).isEqualTo(404);
        assertThat(ErrorCode.INBOUND_NOT_FOUND.message()).isEqualTo("Inbound number not found or not attached to this persona");
        assertThat(ErrorCode.INVALID_INBOUND_NUMBERS.httpStatus()).isEqualTo(400);
        assertThat(ErrorCode.INVALID_INBOUND_NUMBERS.message()).isEqualTo("Some phone numbers were not found or do not belong to you");
        assertThat(ErrorCode.PERSONA_IN_USE.httpStatus()).isEqualTo(409);
        assertThat(ErrorCode.AUTH_FAILURE.httpStatus()).isEqualTo(401);
    }

    @Test
    void aCodeIsItsName() {
        for (ErrorCode code : ErrorCode.values()) {
            assertThat(code.code()).isEqualTo(code.name());
            assertThat(ErrorCode.of(code.code())).contains(code);
        }
    }

    @Test
    void aCodeFromANewerProcessorIsARefusalOfTheRequest() {
        assertThat(ErrorCode.of("SOMETHING_NEW")).isEmpty();
        assertThat(ErrorCode.httpStatusOf("SOMETHING_NEW")).isEqualTo(400);
        assertThat(ErrorCode.httpStatusOf("NUMBER_ALREADY_PROVISIONED")).isEqualTo(409);
    }
}
