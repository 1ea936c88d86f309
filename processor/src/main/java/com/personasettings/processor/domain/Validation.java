package com.personasettings.processor.domain;

import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Shape checks every command passes before it is decided. Other services write to the commands topic
 * directly, so the processor cannot trust that the gateway already checked these.
 */
final class Validation {

    /** E.164: a '+', a non-zero country digit, at most 15 digits in all. */
    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{1,14}");
    /** Canonical lower-case form only: persona ids are compared as strings, so one id has one spelling. */
    private static final Pattern UUID = Pattern.compile(
            "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    /** Longest accepted id, label or pathway string; keeps rows and records small and bounded. */
    static final int MAX_TEXT = 255;
    /** issued_at must fit a PostgreSQL timestamptz and make sense as a date. */
    private static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    private Validation() {
    }

    static Optional<ApiError> check(Command command) {
        if (command.commandId() == null || command.issuedAt() == null || command.change() == null) {
            return firstError("command_id, issued_at and the change are required");
        }
        return firstError(
                command.issuedAt().isBefore(EARLIEST) || command.issuedAt().isAfter(LATEST)
                        ? "issued_at must be between 1970 and 9999" : null,
                e164("phone_number", command.phoneNumber()),
                text("org_id", command.orgId()),
                text("actor", command.actor()),
                check(command.change()));
    }

    private static String check(Change change) {
        if (change instanceof Change.UpdateSettings update) {
            return firstMessage(uuid("persona_id", update.personaId()), check(update.settings()));
        } else if (change instanceof Change.Attach attach) {
            return uuid("persona_id", attach.personaId());
        } else if (change instanceof Change.Detach detach) {
            return uuid("persona_id", detach.personaId());
        } else if (change instanceof Change.Provision provision) {
            return firstMessage(
                    provision.numberId() > 0 ? null : "number_id must be a positive integer",
                    optionalText("label", provision.label()));
        }
        return null; // Release carries nothing to check
    }

    private static String check(Settings settings) {
        if (settings == null) {
            return null;
        }
        return firstMessage(
                optionalText("persona_settings.pathway_id", settings.pathwayId()),
                settings.pathwayVersion() == null || settings.pathwayVersion() >= 0
                        ? null : "persona_settings.pathway_version must not be negative",
                optionalText("persona_settings.start_node_id", settings.startNodeId()));
    }

    static boolean isE164(String value) {
        return value != null && E164.matcher(value).matches();
    }

    private static String e164(String field, String value) {
        return isE164(value) ? null : field + " must be an E.164 phone number such as +14155551234";
    }

    private static String uuid(String field, String value) {
        return value != null && UUID.matcher(value).matches() ? null : field + " must be a lower-case UUID";
    }

    private static String text(String field, String value) {
        if (value == null || value.isBlank()) {
            return field + " is required";
        }
        return optionalText(field, value);
    }

    private static String optionalText(String field, String value) {
        if (value == null) {
            return null;
        }
        if (value.isBlank()) {
            return field + " must not be blank";
        }
        if (value.chars().anyMatch(Character::isISOControl)) {
            return field + " must not contain control characters";
        }
        return value.length() <= MAX_TEXT ? null : field + " must be at most " + MAX_TEXT + " characters";
    }

    private static Optional<ApiError> firstError(String... messages) {
        return Optional.ofNullable(firstMessage(messages)).map(ApiError::invalidRequest);
    }

    private static String firstMessage(String... messages) {
        for (String message : messages) {
            if (message != null) {
                return message;
            }
        }
        return null;
    }
}
