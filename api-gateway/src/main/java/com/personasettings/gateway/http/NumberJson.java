package com.personasettings.gateway.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.personasettings.gateway.db.NumberView;
import com.personasettings.schemas.InboundNumber;
import com.personasettings.schemas.PersonaSettings;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/** Inbound numbers in Bland's JSON shapes. */
final class NumberJson {

    /** ISO 8601 in UTC with milliseconds, as in Bland's examples: 2025-09-23T16:00:00.000Z. */
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private NumberJson() {
    }

    /** The record the settings endpoint returns: {@code {id, phone_number, persona_id, persona_settings, updated_at}}. */
    static Map<String, Object> record(InboundNumber number) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("id", number.getId());
        record.put("phone_number", number.getPhoneNumber());
        record.put("persona_id", number.getPersonaId());
        record.put("persona_settings", settings(number.getPersonaSettings()));
        record.put("updated_at", timestamp(number.getUpdatedAt()));
        return record;
    }

    /** An entry of a persona's {@code inbound_numbers}. */
    static Map<String, Object> attached(NumberView number, ObjectMapper json) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("phone_number", number.phoneNumber());
        entry.put("label", number.label());
        entry.put("persona_id", number.personaId());
        entry.put("persona_settings", StoredJson.read(json, number.personaSettings()));
        return entry;
    }

    /** Only the fields that are set: the object replaces what was there, absent fields stay absent. */
    static Map<String, Object> settings(PersonaSettings settings) {
        if (settings == null) {
            return null;
        }
        Map<String, Object> map = new LinkedHashMap<>();
        if (settings.getPathwayId() != null) {
            map.put("pathway_id", settings.getPathwayId());
        }
        if (settings.getPathwayVersion() != null) {
            map.put("pathway_version", settings.getPathwayVersion());
        }
        if (settings.getStartNodeId() != null) {
            map.put("start_node_id", settings.getStartNodeId());
        }
        return map;
    }

    static String timestamp(Instant instant) {
        return TIMESTAMP.format(instant);
    }
}
