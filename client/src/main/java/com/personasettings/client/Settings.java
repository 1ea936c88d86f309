package com.personasettings.client;

/**
 * A number's own settings, overriding its persona's defaults. Every field may be null; the object as a whole
 * replaces what the number had. To clear them all (back to the persona's defaults), send null settings instead.
 *
 * @param pathwayVersion a non-negative integer, or null
 */
public record Settings(String pathwayId, Long pathwayVersion, String startNodeId) {
}
