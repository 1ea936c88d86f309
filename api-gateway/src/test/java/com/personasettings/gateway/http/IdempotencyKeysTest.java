package com.personasettings.gateway.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class IdempotencyKeysTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void theSameJsonInAnotherOrderOrSpacingIsTheSameRequest() throws Exception {
        String request = "PATCH /v1/personas/p/inbound/+14155551234/settings";
        String first = IdempotencyKeys.fingerprint(request,
                json.readTree("{\"persona_settings\": {\"pathway_id\": \"a\", \"pathway_version\": 2}}"));

        assertThat(IdempotencyKeys.fingerprint(request,
                json.readTree("{\"persona_settings\":{\"pathway_version\":2,\"pathway_id\":\"a\"}}"))).isEqualTo(first);
        assertThat(IdempotencyKeys.fingerprint(request,
                json.readTree("{\"persona_settings\": {\"pathway_id\": \"b\", \"pathway_version\": 2}}"))).isNotEqualTo(first);
        assertThat(IdempotencyKeys.fingerprint(request.replace("PATCH", "POST"),
                json.readTree("{\"persona_settings\": {\"pathway_id\": \"a\", \"pathway_version\": 2}}"))).isNotEqualTo(first);
        assertThat(IdempotencyKeys.fingerprint(request, json.readTree("{\"persona_settings\": null}")))
                .isNotEqualTo(IdempotencyKeys.fingerprint(request, json.readTree("{}")));
        assertThat(IdempotencyKeys.fingerprint("DELETE /v1/personas/p?force=true", null)).hasSize(64);
    }
}
