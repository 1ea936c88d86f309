package com.personasettings.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.personasettings.schemas.ApiError;
import com.personasettings.schemas.CommandOutcome;
import com.personasettings.schemas.InboundNumber;
import com.personasettings.schemas.PersonaSettings;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * An outcome the processor recorded, read back into the contract's form ({@link CommandOutcome}), so that
 * {@link Answers} renders it exactly as it renders a reply.
 */
final class StoredOutcomes {

    private StoredOutcomes() {
    }

    static CommandOutcome read(ObjectMapper json, UUID commandId, String orgId, String phoneNumber, String stored) {
        JsonNode envelope = StoredJson.read(json, stored);
        CommandOutcome.Builder outcome = CommandOutcome.newBuilder().setCommandId(commandId).setOrgId(orgId)
                .setPhoneNumber(phoneNumber).setData(null).setErrors(null);
        JsonNode errors = envelope.get("errors");
        if (errors != null && !errors.isNull()) {
            List<ApiError> list = new ArrayList<>();
            errors.forEach(e -> list.add(new ApiError(e.get("error").asText(), e.get("message").asText())));
            return outcome.setErrors(list).build();
        }
        JsonNode data = envelope.get("data");
        if (data == null || data.isNull()) {
            return outcome.build();
        }
        return outcome.setData(InboundNumber.newBuilder()
                .setId(data.get("id").asLong())
                .setPhoneNumber(data.get("phone_number").asText())
                .setOrgId(orgId)
                .setLabel(null)
                .setPersonaId(text(data, "persona_id"))
                .setPersonaSettings(settings(data.get("persona_settings")))
                .setUpdatedAt(Instant.parse(data.get("updated_at").asText()))
                .build()).build();
    }

    private static PersonaSettings settings(JsonNode settings) {
        if (settings == null || settings.isNull()) {
            return null;
        }
        return new PersonaSettings(text(settings, "pathway_id"),
                settings.hasNonNull("pathway_version") ? settings.get("pathway_version").asLong() : null,
                text(settings, "start_node_id"));
    }

    private static String text(JsonNode json, String field) {
        return json.hasNonNull(field) ? json.get(field).asText() : null;
    }
}
