package com.personasettings.torture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The system's side of the ledger, read once the processors have caught up: what PostgreSQL recorded, the command
 * log, and the committed outcome log.
 *
 * @param rows        every row of {@code command_outcomes}
 * @param numbers     every row of {@code inbound_numbers}, by phone number
 * @param log         every record of the command log that decoded, in partition and offset order
 * @param undecodable records of the command log that did not decode
 * @param outcomes    command id → its committed outcome records, in log order (each rendered as text: equal text,
 *                    equal outcome)
 * @param deadLetters committed records on the dead-letter topic
 */
record LedgerData(List<OutcomeRow> rows, Map<String, NumberRow> numbers, List<LoggedCommand> log, long undecodable,
                  Map<UUID, List<String>> outcomes, long deadLetters) {

    /**
     * A row of {@code command_outcomes}; {@code command}, {@code result} and {@code errors} are its JSON columns, the
     * last two a JSON null where the column is NULL. The outcome is in the contract's form: {@code result} is the
     * number after the command in InboundNumber's field names (org_id and label included), {@code errors} the
     * ApiErrors.
     */
    record OutcomeRow(UUID commandId, String phone, String commandType, Instant issuedAt, JsonNode command,
                      int partition, long offset, boolean succeeded, JsonNode result, JsonNode errors) {

        /** The fields of a number that Bland's record shows (no org_id, no label). */
        private static final List<String> BLAND_FIELDS =
                List.of("id", "phone_number", "persona_id", "persona_settings", "updated_at");

        /**
         * Whether an HTTP body is this outcome as Bland's API answers it: exactly {@code data} and {@code errors},
         * the data being the result's fields Bland shows, the errors the stored ones.
         */
        boolean answeredBy(JsonNode body) {
            return body.isObject() && body.size() == 2 && body.path("errors").equals(errors)
                    && body.path("data").equals(blandData());
        }

        private JsonNode blandData() {
            if (result.isNull()) {
                return result;
            }
            ObjectNode data = JsonNodeFactory.instance.objectNode();
            BLAND_FIELDS.stream().filter(result::has).forEach(field -> data.set(field, result.get(field)));
            return data;
        }

        /** The stored outcome, for a report. */
        String outcome() {
            return succeeded ? "result " + result : "errors " + errors;
        }

        /** The request token ({@code tk...}) the command's settings carry as pathway_id, or null. */
        String token() {
            JsonNode pathway = command.path("persona_settings").path("pathway_id");
            return pathway.isTextual() && pathway.asText().startsWith("tk") ? pathway.asText() : null;
        }
    }

    /** A row of {@code inbound_numbers}; {@code settings} is null or a JSON object. */
    record NumberRow(String phone, Long id, String personaId, JsonNode settings, Instant updatedAt, long offset,
                     boolean released) {
    }

    /** A record of the command log. */
    record LoggedCommand(UUID commandId, String phone, int partition, long offset) {
    }
}
