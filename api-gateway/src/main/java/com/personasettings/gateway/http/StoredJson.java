package com.personasettings.gateway.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** JSON the processor stored in PostgreSQL (jsonb read back as text), returned to callers as is. */
final class StoredJson {

    private StoredJson() {
    }

    /** @return the tree, or null for SQL NULL */
    static JsonNode read(ObjectMapper json, String text) {
        if (text == null) {
            return null;
        }
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a jsonb column held text that is not JSON", e);
        }
    }
}
