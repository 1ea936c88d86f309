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

    /**
     * @param orgId  the org that asked (the rows read are its own)
     * @param result the number after the command, as stored (InboundNumber's field names), or null on failure
     * @param errors the errors, as stored ({@code [{error, message}]}), or null on success
     */
    static CommandOutcome read(ObjectMapper json, UUID commandId, String orgId, String phoneNumber, String result,
                               String errors) {
        CommandOutcome.Builder outcome = CommandOutcome.newBuilder().setCommandId(commandId).setOrgId(orgId)
                .setPhoneNumber(phoneNumber).setData(null).setErrors(null);
        if (errors != null) {
            List<ApiError> list = new ArrayList<>();
            StoredJson.read(json, errors)
                    .forEach(e -> list.add(new ApiError(e.get("error").asText(), e.get("message").asText())));
            return outcome.setErrors(list).build();
        }
        if (result == null) {
            return outcome.build();
        }
        JsonNode number = StoredJson.read(json, result);
        return outcome.setData(InboundNumber.newBuilder()
                .setId(number.get("id").asLong())
                .setPhoneNumber(number.get("phone_number").asText())
                .setOrgId(number.get("org_id").asText())
                .setLabel(text(number, "label"))
                .setPersonaId(text(number, "persona_id"))
                .setPersonaSettings(settings(number.get("persona_settings")))
                .setUpdatedAt(Instant.parse(number.get("updated_at").asText()))
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
