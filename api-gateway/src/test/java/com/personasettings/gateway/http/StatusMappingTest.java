package com.personasettings.gateway.http;

import com.personasettings.schemas.ApiError;
import com.personasettings.schemas.CommandOutcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Which HTTP status goes with which error code, and the envelope's shape. */
class StatusMappingTest {

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({"INBOUND_NOT_FOUND,404", "PERSONA_NOT_FOUND,404", "NUMBER_ALREADY_PROVISIONED,409",
            "PERSONA_IN_USE,409", "INVALID_REQUEST,400", "INVALID_INBOUND_NUMBERS,400", "SOMETHING_NEW,400"})
    void outcomeCodesMapToStatuses(String code, int status) {
        assertThat(com.personasettings.schemas.ErrorCode.httpStatusOf(code)).isEqualTo(status);
    }

    @Test
    void anOutcomeIs200WithoutErrorsAndTakesItsFirstErrorsStatusOtherwise() {
        CommandOutcome success = new CommandOutcome(UUID.randomUUID(), "org", "+14155551234", null, null);
        CommandOutcome failure = new CommandOutcome(UUID.randomUUID(), "org", "+14155551234", null,
                List.of(new ApiError("INBOUND_NOT_FOUND", "Inbound number not found or not attached to this persona"),
                        new ApiError("INVALID_REQUEST", "second")));

        assertThat(Answers.of(success).status()).isEqualTo(200);
        assertThat(Answers.of(failure).status()).isEqualTo(404);
        Map<String, Object> envelope = Answers.envelope(failure);
        assertThat(envelope.keySet()).containsExactly("data", "errors");
        assertThat(envelope.get("data")).isNull();
        assertThat(envelope.get("errors")).isEqualTo(List.of(
                Map.of("error", "INBOUND_NOT_FOUND", "message", "Inbound number not found or not attached to this persona"),
                Map.of("error", "INVALID_REQUEST", "message", "second")));
    }

    @ParameterizedTest(name = "HTTP {0} is {1}")
    @CsvSource({"400,INVALID_REQUEST", "404,NOT_FOUND", "405,METHOD_NOT_ALLOWED", "413,PAYLOAD_TOO_LARGE",
            "414,URI_TOO_LONG", "431,HEADERS_TOO_LARGE", "503,SERVICE_UNAVAILABLE", "500,INTERNAL_ERROR"})
    void statusesJettyOrJavalinAnswerGetBlandsCodes(int status, String code) {
        assertThat(Envelope.codeFor(status)).isEqualTo(code);
    }

    @Test
    void aPendingRequestNamesItselfAndItsCommandsAndWhereToLook() {
        UUID request = UUID.randomUUID();
        List<UUID> commands = List.of(UUID.randomUUID(), UUID.randomUUID());
        Answers.Answer pending = Answers.pending(request, commands);
        assertThat(pending.status()).isEqualTo(202);
        assertThat(pending.location()).isEqualTo("/v1/requests/" + request);
        assertThat(pending.body()).isEqualTo(Envelope.data(Map.of("status", "pending", "request_id", request.toString(),
                "command_ids", List.of(commands.get(0).toString(), commands.get(1).toString()))));
    }

    @Test
    void theEnvelopeKeepsBlandsFieldOrder() {
        assertThat(Envelope.data("x").keySet()).containsExactly("data", "errors");
        Map<String, Object> error = Envelope.error("PERSONA_IN_USE", "in use", Map.of("persona_id", "p"));
        assertThat(error.keySet()).containsExactly("data", "errors");
        assertThat(error.get("data")).isNull();
        @SuppressWarnings("unchecked")
        Map<String, Object> first = ((List<Map<String, Object>>) error.get("errors")).get(0);
        assertThat(first.keySet()).containsExactly("error", "message", "details");
    }
}
