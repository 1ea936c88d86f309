package com.personasettings.gateway.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.personasettings.schemas.CommandOutcome;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** A stored outcome (jsonb as PostgreSQL prints it) reads back into the contract's form and renders as Bland's body. */
class StoredOutcomesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final UUID COMMAND = UUID.fromString("00000000-0000-4000-8000-000000000007");
    private static final String ORG = "01010101-0000-4000-8000-000000000001";
    private static final String PHONE = "+14155551234";

    @Test
    void aSuccessKeepsOrgAndLabelAndRendersOnlyBlandsFields() throws Exception {
        String result = """
                {"id": 7, "label": "front desk", "org_id": "%s", "persona_id": "p1", "updated_at": "2026-01-03T00:00:00.000Z", \
                "phone_number": "%s", "persona_settings": {"pathway_id": "pw", "start_node_id": "n1", "pathway_version": 3}}"""
                .formatted(ORG, PHONE);

        CommandOutcome outcome = StoredOutcomes.read(JSON, COMMAND, ORG, PHONE, result, null);

        assertThat(outcome.getData().getOrgId()).isEqualTo(ORG);
        assertThat(outcome.getData().getLabel()).isEqualTo("front desk");
        assertThat(Answers.of(outcome).status()).isEqualTo(200);
        assertThat(JSON.writeValueAsString(Answers.envelope(outcome))).isEqualTo("{\"data\":{\"id\":7,\"phone_number\":\""
                + PHONE + "\",\"persona_id\":\"p1\",\"persona_settings\":{\"pathway_id\":\"pw\",\"pathway_version\":3,"
                + "\"start_node_id\":\"n1\"},\"updated_at\":\"2026-01-03T00:00:00.000Z\"},\"errors\":null}");
    }

    @Test
    void aNumberWithoutPersonaOrSettingsRendersNulls() throws Exception {
        String result = """
                {"id": 8, "label": null, "org_id": "%s", "persona_id": null, "updated_at": "2026-01-04T00:00:00.000Z", \
                "phone_number": "%s", "persona_settings": null}""".formatted(ORG, PHONE);

        CommandOutcome outcome = StoredOutcomes.read(JSON, COMMAND, ORG, PHONE, result, null);

        assertThat(JSON.writeValueAsString(Answers.envelope(outcome))).isEqualTo("{\"data\":{\"id\":8,\"phone_number\":\""
                + PHONE + "\",\"persona_id\":null,\"persona_settings\":null,\"updated_at\":\"2026-01-04T00:00:00.000Z\"},"
                + "\"errors\":null}");
    }

    @Test
    void aFailureRendersItsErrorsWithTheStatusOfTheFirst() throws Exception {
        CommandOutcome outcome = StoredOutcomes.read(JSON, COMMAND, ORG, PHONE, null,
                "[{\"error\": \"INBOUND_NOT_FOUND\", \"message\": \"Inbound number not found\"}]");

        assertThat(outcome.getData()).isNull();
        assertThat(Answers.of(outcome).status()).isEqualTo(404);
        assertThat(JSON.writeValueAsString(Answers.envelope(outcome))).isEqualTo(
                "{\"data\":null,\"errors\":[{\"error\":\"INBOUND_NOT_FOUND\",\"message\":\"Inbound number not found\"}]}");
    }
}
