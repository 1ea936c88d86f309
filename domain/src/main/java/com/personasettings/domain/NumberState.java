package com.personasettings.domain;

import java.time.Instant;

/**
 * What the processor knows about one provisioned phone number. A number that was never provisioned,
 * or was released, has no state at all ({@code null}).
 *
 * @param settings  null when the persona's defaults apply
 * @param updatedAt issued_at of the last command that changed the number
 */
public record NumberState(
        long id,
        String phoneNumber,
        String orgId,
        String label,
        String personaId,
        Settings settings,
        Instant updatedAt) {

    boolean belongsTo(String org) {
        return orgId.equals(org);
    }

    boolean isAttachedTo(String persona) {
        return persona.equals(personaId);
    }

    NumberState attachedTo(String persona, Settings newSettings, Instant at) {
        return new NumberState(id, phoneNumber, orgId, label, persona, newSettings, at);
    }

    NumberState withSettings(Settings newSettings, Instant at) {
        return new NumberState(id, phoneNumber, orgId, label, personaId, newSettings, at);
    }
}
