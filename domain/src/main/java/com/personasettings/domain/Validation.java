package com.personasettings.domain;

import com.personasettings.schemas.rules.FieldRules;

import java.util.Optional;

import static com.personasettings.schemas.rules.FieldRules.firstOf;

/**
 * Shape checks every command passes before it is decided. Other services write to the commands topic
 * directly, so the processor cannot trust that the gateway already checked these; the rules for each value
 * are {@link FieldRules}, the ones the gateway applies before it publishes.
 */
final class Validation {

    private Validation() {
    }

    static Optional<ApiError> check(Command command) {
        if (command.commandId() == null || command.issuedAt() == null || command.change() == null) {
            return invalid("command_id, issued_at and the change are required");
        }
        return invalid(firstOf(
                FieldRules.timestamp("issued_at", command.issuedAt()),
                command.change() instanceof Change.Retire ? noNumber(command.phoneNumber())
                        : FieldRules.e164("phone_number", command.phoneNumber()),
                // PostgreSQL keeps org ids as uuid, like the gateway's orgs: an org_id that is not one names no org.
                FieldRules.lowerCaseUuid("org_id", command.orgId()),
                FieldRules.requiredText("actor", command.actor()),
                check(command.change())));
    }

    private static String check(Change change) {
        if (change instanceof Change.UpdateSettings update) {
            return firstOf(FieldRules.lowerCaseUuid("persona_id", update.personaId()), check(update.settings()));
        } else if (change instanceof Change.Attach attach) {
            return FieldRules.lowerCaseUuid("persona_id", attach.personaId());
        } else if (change instanceof Change.Detach detach) {
            return FieldRules.lowerCaseUuid("persona_id", detach.personaId());
        } else if (change instanceof Change.Provision provision) {
            return firstOf(FieldRules.positive("number_id", provision.numberId()),
                    FieldRules.optionalText("label", provision.label()));
        } else if (change instanceof Change.Retire retire) {
            return firstOf(FieldRules.lowerCaseUuid("persona_id", retire.personaId()),
                    retire.partition() < 0 ? "partition must not be negative" : null);
        }
        return null; // Release carries nothing to check
    }

    /** A command about a persona names no number: its phone_number (and record key) is empty. */
    private static String noNumber(String phoneNumber) {
        return "".equals(phoneNumber) ? null : "phone_number must be empty in a command about a persona";
    }

    /** The rules of Bland's {@code persona_settings} object; the gateway checks a PATCH body with the same. */
    static String check(Settings settings) {
        if (settings == null) {
            return null;
        }
        return firstOf(
                FieldRules.optionalText("persona_settings.pathway_id", settings.pathwayId()),
                FieldRules.nonNegative("persona_settings.pathway_version", settings.pathwayVersion()),
                FieldRules.optionalText("persona_settings.start_node_id", settings.startNodeId()));
    }

    static boolean isE164(String value) {
        return FieldRules.isE164(value);
    }

    private static Optional<ApiError> invalid(String message) {
        return Optional.ofNullable(message).map(ApiError::invalidRequest);
    }
}
