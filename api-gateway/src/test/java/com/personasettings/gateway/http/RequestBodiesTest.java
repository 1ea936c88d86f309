package com.personasettings.gateway.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.personasettings.schemas.PersonaSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Request parsing below HTTP: what a body or a path parameter may be, and the 400 message when it is not. */
class RequestBodiesTest {

    private final RequestBodies bodies = new RequestBodies(new ObjectMapper());

    private PersonaSettings settings(String body) {
        return bodies.personaSettings(bodies.object(body.getBytes(StandardCharsets.UTF_8)));
    }

    private static void assertInvalid(Runnable parse, String message) {
        assertThatThrownBy(parse::run).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.code()).isEqualTo("INVALID_REQUEST");
            assertThat(e.getMessage()).startsWith(message);
        });
    }

    @Test
    void blandsExampleBodiesParse() {
        assertThat(settings("{\"persona_settings\": {\"pathway_id\": \"pathway_abc123\", \"pathway_version\": 2, "
                + "\"start_node_id\": \"node_xyz\"}}")).isEqualTo(new PersonaSettings("pathway_abc123", 2L, "node_xyz"));
        assertThat(settings("{\"persona_settings\": null}")).isNull();
        assertThat(settings("{\"persona_settings\": {}}")).isEqualTo(new PersonaSettings(null, null, null));
    }

    @Test
    void aBodyMustBeAJsonObject() {
        assertInvalid(() -> bodies.object("nope".getBytes(StandardCharsets.UTF_8)), "the body is not valid JSON");
        assertInvalid(() -> bodies.object("[1]".getBytes(StandardCharsets.UTF_8)), "the body must be a JSON object");
        assertInvalid(() -> bodies.object(new byte[0]), "the body must be a JSON object");
    }

    @Test
    void personaSettingsIsRequiredAndAnObjectOfKnownFields() {
        assertInvalid(() -> settings("{}"), "persona_settings is required");
        assertInvalid(() -> settings("{\"persona_settings\": \"x\"}"), "persona_settings must be an object or null");
        assertInvalid(() -> settings("{\"persona_settings\": {\"colour\": \"red\"}}"),
                "persona_settings.colour is not a known setting");
        assertInvalid(() -> settings("{\"persona_settings\": {\"pathway_id\": 7}}"),
                "persona_settings.pathway_id must be a string");
    }

    @ParameterizedTest(name = "pathway_version {0} is refused")
    @ValueSource(strings = {"2.5", "1e3", "9223372036854775808", "\"2\"", "true"})
    void pathwayVersionIsAWholeNumberThatFitsALong(String version) {
        assertInvalid(() -> settings("{\"persona_settings\": {\"pathway_version\": " + version + "}}"),
                "persona_settings.pathway_version must be an integer");
    }

    @Test
    void pathwayVersionIsNotNegativeAndTextFollowsTheSharedRules() {
        assertInvalid(() -> settings("{\"persona_settings\": {\"pathway_version\": -1}}"),
                "persona_settings.pathway_version must not be negative");
        assertInvalid(() -> settings("{\"persona_settings\": {\"pathway_id\": \"\\u0000\"}}"),
                "persona_settings.pathway_id must not contain control characters");
        assertInvalid(() -> settings("{\"persona_settings\": {\"start_node_id\": \"" + "x".repeat(256) + "\"}}"),
                "persona_settings.start_node_id must be at most 255 characters");
    }

    @Test
    void inboundNumbersAreOneToAHundredE164StringsDuplicatesDroppedInOrder() {
        assertThat(bodies.inboundNumbers(bodies.object(
                "{\"inbound_numbers\": [\"+14155550002\", \"+14155550001\", \"+14155550002\"]}".getBytes(StandardCharsets.UTF_8))))
                .containsExactly("+14155550002", "+14155550001");
        assertInvalid(() -> bodies.inboundNumbers(bodies.object("{}".getBytes(StandardCharsets.UTF_8))),
                "inbound_numbers is required");
        assertInvalid(() -> bodies.inboundNumbers(bodies.object("{\"inbound_numbers\": []}".getBytes(StandardCharsets.UTF_8))),
                "inbound_numbers must hold 1 to 100 numbers");
        String hundredAndOne = IntStream.range(0, 101).mapToObj(i -> String.format("\"+1415555%04d\"", i))
                .collect(Collectors.joining(","));
        assertInvalid(() -> bodies.inboundNumbers(bodies.object(("{\"inbound_numbers\": [" + hundredAndOne + "]}")
                .getBytes(StandardCharsets.UTF_8))), "inbound_numbers must hold 1 to 100 numbers");
        assertInvalid(() -> bodies.inboundNumbers(bodies.object("{\"inbound_numbers\": [1]}".getBytes(StandardCharsets.UTF_8))),
                "inbound_numbers must contain only strings");
        assertInvalid(() -> bodies.inboundNumbers(bodies.object("{\"inbound_numbers\": [\"4155550001\"]}"
                .getBytes(StandardCharsets.UTF_8))), "inbound_numbers must be an E.164 phone number");
    }

    @Test
    void personaIdsAreUuidsInAnyCaseAndComeOutLowerCase() {
        assertThat(RequestBodies.personaId("12345678-ABCD-1234-1234-123456789012"))
                .isEqualTo("12345678-abcd-1234-1234-123456789012");
        assertInvalid(() -> RequestBodies.personaId("not-a-uuid"), "persona_id must be a UUID");
        assertInvalid(() -> RequestBodies.personaId(null), "persona_id must be a UUID");
    }
}
