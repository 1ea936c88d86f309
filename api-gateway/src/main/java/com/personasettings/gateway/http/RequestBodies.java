package com.personasettings.gateway.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.personasettings.schemas.PersonaSettings;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks the shape of requests: JSON types and required fields, path parameters. Value rules (lengths,
 * ranges) are the processor's, which answers INVALID_REQUEST for them; one place decides them.
 */
final class RequestBodies {

    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{1,14}");
    private static final Pattern UUID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Set<String> SETTINGS_FIELDS = Set.of("pathway_id", "pathway_version", "start_node_id");
    /** Numbers per attach or detach request: each becomes a command the caller waits for. */
    static final int MAX_NUMBERS_PER_REQUEST = 100;

    private final ObjectMapper json;

    RequestBodies(ObjectMapper json) {
        this.json = json;
    }

    JsonNode object(byte[] body) {
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
    PersonaSettings personaSettings(JsonNode body) {
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
                optionalString(settings, "persona_settings.", "pathway_id"),
                optionalInteger(settings, "pathway_version"),
                optionalString(settings, "persona_settings.", "start_node_id"));
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

    String requiredString(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw ApiException.invalid(field + " is required and must be a non-empty string");
        }
        return value.asText();
    }

    /** @param prefix where the object sits in the body, for the error message ("" at the top) */
    String optionalString(JsonNode object, String prefix, String field) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw ApiException.invalid(prefix + field + " must be a string");
        }
        return value.asText();
    }

    private Long optionalInteger(JsonNode object, String field) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw ApiException.invalid("persona_settings." + field + " must be an integer");
        }
        return value.asLong();
    }

    static String phoneNumber(String value, String field) {
        if (value == null || !E164.matcher(value).matches()) {
            throw ApiException.invalid(field + " must be E.164 phone numbers such as +14155551234");
        }
        return value;
    }

    /** Persona ids are UUIDs; one spelling (lower case) for each, as the processor compares strings. */
    static String personaId(String value) {
        if (value == null || !UUID.matcher(value).matches()) {
            throw ApiException.invalid("persona_id must be a UUID");
        }
        return value.toLowerCase(Locale.ROOT);
    }
}
