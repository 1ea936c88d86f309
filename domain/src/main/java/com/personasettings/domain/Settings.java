package com.personasettings.domain;

/**
 * Per-number overrides of a persona's defaults (Bland's {@code persona_settings} object).
 * Every field may be null; an all-null object is still an object, distinct from "no settings".
 */
public record Settings(String pathwayId, Long pathwayVersion, String startNodeId) {
}
