package com.personasettings.gateway.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.personasettings.schemas.PersonaSettings;
import com.personasettings.schemas.rules.FieldRules;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Checks requests before anything is published or stored: JSON types and required fields, then every value
 * by {@link FieldRules}, the rules the processor applies to each command too. A value they refuse is a 400
 * here and never reaches Kafka or a table.
 */
public final class RequestBodies {

    private static final Set<String> SETTINGS_FIELDS = Set.of("pathway_id", "pathway_version", "start_node_id");
    /** Numbers per attach or detach request: each becomes a command the caller waits for. */
    static final int MAX_NUMBERS_PER_REQUEST = 100;

    private final ObjectMapper json;

    public RequestBodies(ObjectMapper json) {
        this.json = json;
    }

    public JsonNode object(byte[] body) {
        JsonNode node;
        try {
            node = json.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiException.invalid("the body is not valid JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw ApiException.invalid("the body could not be read");
        }
        if (node == null || !node.isObject()) {
            throw ApiException.invalid("the body must be a JSON object");
        }
        return node;
    }

    /** {@code persona_settings}: required; an object or null (null clears). */
    public PersonaSettings personaSettings(JsonNode body) {
        if (!body.has("persona_settings")) {
            throw ApiException.invalid("persona_settings is required: an object, or null to clear the settings");
        }
        JsonNode settings = body.get("persona_settings");
        if (settings.isNull()) {
            return null;
        }
        if (!settings.isObject()) {
            throw ApiException.invalid("persona_settings must be an object or null");
        }
        settings.fieldNames().forEachRemaining(name -> {
            if (!SETTINGS_FIELDS.contains(name)) {
                throw ApiException.invalid("persona_settings." + name + " is not a known setting "
                        + "(pathway_id, pathway_version, start_node_id)");
            }
        });
        return new PersonaSettings(
                optionalText(settings, "persona_settings.", "pathway_id", FieldRules.MAX_CHARACTERS),
                optionalVersion(settings, "pathway_version"),
                optionalText(settings, "persona_settings.", "start_node_id", FieldRules.MAX_CHARACTERS));
    }

    /** {@code inbound_numbers}: a non-empty array of E.164 strings, duplicates removed, order kept. */
    List<String> inboundNumbers(JsonNode body) {
        JsonNode numbers = body.get("inbound_numbers");
        if (numbers == null || !numbers.isArray()) {
            throw ApiException.invalid("inbound_numbers is required: an array of E.164 phone numbers");
        }
        if (numbers.isEmpty() || numbers.size() > MAX_NUMBERS_PER_REQUEST) {
            throw ApiException.invalid("inbound_numbers must hold 1 to " + MAX_NUMBERS_PER_REQUEST + " numbers");
        }
        Set<String> distinct = new LinkedHashSet<>();
        for (JsonNode number : numbers) {
            if (!number.isTextual()) {
                throw ApiException.invalid("inbound_numbers must contain only strings");
            }
            distinct.add(phoneNumber(number.asText(), "inbound_numbers"));
        }
        return new ArrayList<>(distinct);
    }

    String requiredText(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw ApiException.invalid(field + " is required and must be a non-empty string");
        }
        check(FieldRules.requiredText(field, value.asText()));
        return value.asText();
    }

    /**
     * A string field that may be absent or null, checked by {@link FieldRules#optionalText}.
     *
     * @param prefix where the object sits in the body, for the error message ("" at the top)
     */
    String optionalText(JsonNode object, String prefix, String field, int maxCharacters) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw ApiException.invalid(prefix + field + " must be a string");
        }
        check(FieldRules.optionalText(prefix + field, value.asText(), maxCharacters));
        return value.asText();
    }

    /** A whole number that fits a long and is not negative: 2.5, 1e3, 2^63 and -1 are all refused. */
    private static Long optionalVersion(JsonNode object, String field) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw ApiException.invalid("persona_settings." + field + " must be an integer");
        }
        check(FieldRules.nonNegative("persona_settings." + field, value.asLong()));
        return value.asLong();
    }

    public static String phoneNumber(String value, String field) {
        check(FieldRules.e164(field, value));
        return value;
    }

    /**
     * Persona ids are UUIDs; one spelling (lower case) for each, as the processor compares strings. Upper-case
     * input is accepted and lower-cased first.
     */
    public static String personaId(String value) {
        String lowerCase = value == null ? null : value.toLowerCase(Locale.ROOT);
        if (FieldRules.lowerCaseUuid("persona_id", lowerCase) != null) {
            throw ApiException.invalid("persona_id must be a UUID"); // any case is accepted: not "lower-case UUID"
        }
        return lowerCase;
    }

    private static void check(String problem) {
        if (problem != null) {
            throw ApiException.invalid(problem);
        }
    }
}
