package com.personasettings.processor.db;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.personasettings.domain.ApiError;
import com.personasettings.domain.Change;
import com.personasettings.domain.Command;
import com.personasettings.domain.NumberState;
import com.personasettings.domain.Outcome;
import com.personasettings.domain.Settings;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns domain records into table rows and back. JSON columns use the contract's field names (Bland's, for the fields
 * the two share) and Bland's shapes: settings hold only the fields that are set, timestamps are ISO 8601 with
 * milliseconds.
 */
public final class Rows {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Bland's timestamps: ISO 8601 in UTC with milliseconds, e.g. 2025-09-23T16:00:00.000Z. */
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private Rows() {
    }

    public static NumberRow number(NumberState state, long sourceOffset) {
        // A state's org passed Validation, so it is a UUID. (Were it not, null would be refused by the table's
        // check and the record dead-lettered as DATABASE_REFUSED: the record fails alone.)
        return new NumberRow(state.phoneNumber(), state.id(), Storable.org(state.orgId()), state.label(),
                state.personaId(), state.settings() == null ? null : json(settings(state.settings())), state.updatedAt(),
                sourceOffset, false);
    }

    /** What is left of a number released by the command at {@code sourceOffset}, issued at {@code releasedAt}. */
    public static NumberRow tombstone(String phoneNumber, Instant releasedAt, long sourceOffset) {
        return new NumberRow(phoneNumber, null, null, null, null, null, releasedAt, sourceOffset, true);
    }

    /** The state a row holds: the inverse of {@link #number}; null for a tombstone (a released number has none). */
    public static NumberState state(NumberRow row) {
        if (row.released()) {
            return null;
        }
        Settings settings = null;
        if (row.personaSettings() != null) {
            try {
                settings = settings(JSON.readTree(row.personaSettings()));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("persona_settings of " + row.phoneNumber() + " is not JSON", e);
            }
        }
        return new NumberState(row.id(), row.phoneNumber(), row.orgId().toString(), row.label(), row.personaId(),
                settings, row.updatedAt());
    }

    /**
     * A recorded command read back as the verdict on a later record with the same id: its first outcome, as
     * {@link #outcome} stored it.
     */
    static Verdict.SeenBefore seenBefore(OutcomesDao.Earlier earlier) {
        Outcome outcome = earlier.errors() != null
                ? new Outcome(null, errors(tree(earlier.errors(), "errors", earlier.commandId())))
                // A persona's retirement succeeds with no number to show.
                : earlier.result() == null ? Outcome.done()
                : Outcome.success(result(tree(earlier.result(), "result", earlier.commandId())));
        return new Verdict.SeenBefore(earlier.sourcePartition(), earlier.sourceOffset(), earlier.commandId(),
                earlier.phoneNumber(), earlier.orgId(), outcome);
    }

    private static JsonNode tree(String json, String column, Object commandId) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new IllegalStateException(column + " of command " + commandId + " is not JSON", e);
        }
    }

    /** The inverse of {@link #result(NumberState)}. */
    private static NumberState result(JsonNode result) {
        JsonNode settings = result.get("persona_settings");
        return new NumberState(result.get("id").asLong(), result.get("phone_number").asText(),
                text(result, "org_id"), text(result, "label"), text(result, "persona_id"),
                settings == null || settings.isNull() ? null : settings(settings),
                Instant.parse(result.get("updated_at").asText()));
    }

    private static List<ApiError> errors(JsonNode errors) {
        List<ApiError> list = new ArrayList<>();
        errors.forEach(e -> list.add(new ApiError(e.get("error").asText(), e.get("message").asText())));
        return list;
    }

    private static Settings settings(JsonNode json) {
        return new Settings(text(json, "pathway_id"),
                json.hasNonNull("pathway_version") ? json.get("pathway_version").asLong() : null,
                text(json, "start_node_id"));
    }

    private static String text(JsonNode json, String field) {
        return json.hasNonNull(field) ? json.get(field).asText() : null;
    }

    /**
     * The audit row of a command. A refused command may carry values PostgreSQL cannot hold (that may be why it
     * was refused): they are stored as {@link Storable} makes them; a valid command's values are unchanged.
     */
    public static OutcomeRow outcome(Command command, String commandType, Outcome outcome,
                                     int sourcePartition, long sourceOffset) {
        return new OutcomeRow(command.commandId(), Storable.key(command.phoneNumber()), Storable.org(command.orgId()),
                commandType, Storable.text(command.actor()), Storable.timestamp(command.issuedAt()),
                json(payload(command.change())), sourcePartition, sourceOffset, outcome.succeeded(),
                outcome.data() == null ? null : json(result(outcome.data())),
                outcome.errors() == null ? null : json(errors(outcome.errors())));
    }

    public static String timestamp(Instant instant) {
        return TIMESTAMP.format(instant);
    }

    /**
     * The number after a command in the contract's field names (InboundNumber's): its state was validated, so its
     * values are stored as they are, as in {@link #number}.
     */
    private static Map<String, Object> result(NumberState state) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("id", state.id());
        result.put("phone_number", state.phoneNumber());
        result.put("org_id", state.orgId());
        result.put("label", state.label());
        result.put("persona_id", state.personaId());
        result.put("persona_settings", state.settings() == null ? null : settings(state.settings()));
        result.put("updated_at", timestamp(state.updatedAt()));
        return result;
    }

    /** Only the fields that were given: the object replaces what was there, absent fields stay absent. */
    private static Map<String, Object> settings(Settings settings) {
        Map<String, Object> map = new LinkedHashMap<>();
        putIfPresent(map, "pathway_id", settings.pathwayId());
        putIfPresent(map, "pathway_version", settings.pathwayVersion());
        putIfPresent(map, "start_node_id", settings.startNodeId());
        return map;
    }

    /** ApiErrors, as {@code [{"error": code, "message": text}]}. */
    private static List<Map<String, Object>> errors(List<ApiError> errors) {
        return errors.stream().map(e -> {
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("error", e.code());
            error.put("message", e.message());
            return error;
        }).toList();
    }

    private static Map<String, Object> payload(Change change) {
        Map<String, Object> map = new LinkedHashMap<>();
        if (change instanceof Change.UpdateSettings update) {
            map.put("persona_id", Storable.text(update.personaId()));
            map.put("persona_settings", update.settings() == null ? null : settings(update.settings()));
        } else if (change instanceof Change.Attach attach) {
            map.put("persona_id", Storable.text(attach.personaId()));
        } else if (change instanceof Change.Detach detach) {
            map.put("persona_id", Storable.text(detach.personaId()));
        } else if (change instanceof Change.Provision provision) {
            map.put("number_id", provision.numberId());
            map.put("label", Storable.text(provision.label()));
        } else if (change instanceof Change.Retire retire) {
            map.put("persona_id", Storable.text(retire.personaId()));
            map.put("partition", retire.partition());
        }
        return map;
    }

    private static void putIfPresent(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value instanceof String text ? Storable.text(text) : value);
        }
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("maps of strings and numbers always serialize", e);
        }
    }
}
