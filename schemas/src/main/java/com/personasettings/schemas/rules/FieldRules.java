package com.personasettings.schemas.rules;

import java.time.Instant;
import java.util.regex.Pattern;

/**
 * What a string, a number or a timestamp of a command may be. One rule set, called by the gateway before it
 * publishes a command (so a bad body is a 400 and never reaches Kafka) and by the processor for every command
 * it reads (other services write to the commands topic too, and the processor stays the authority).
 *
 * <p>Each check returns null when the value passes, or the message that names the field. Text is refused when
 * PostgreSQL, JSON or a terminal could not hold or show it faithfully: control characters (NUL among them;
 * PostgreSQL's {@code text} and {@code jsonb} refuse U+0000), unpaired surrogates (not Unicode text; they would
 * be stored as '?'), blank strings, and more than {@link #MAX_CHARACTERS} characters.
 */
public final class FieldRules {

    /** Longest id, label or pathway string, in characters (Unicode code points). */
    public static final int MAX_CHARACTERS = 255;
    /**
     * The same bound in UTF-8 bytes: a code point takes at most four, so a string that passes takes at most
     * 1,020 bytes in a Kafka record, a row or a JSON answer.
     */
    public static final int MAX_UTF8_BYTES = 4 * MAX_CHARACTERS;
    /** issued_at must fit a PostgreSQL timestamptz and make sense as the time a command was accepted. */
    public static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");
    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");

    /** E.164: a '+', a non-zero country digit, at most 15 digits in all. */
    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{1,14}");
    /**
     * Canonical lower-case form only: persona and org ids are compared as strings, so one id has one spelling (and
     * an org id reads back from PostgreSQL's uuid column exactly as it was written).
     */
    private static final Pattern LOWER_CASE_UUID = Pattern.compile(
            "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private FieldRules() {
    }

    /** A string that must be present: not null, not blank, and {@link #optionalText} otherwise. */
    public static String requiredText(String field, String value) {
        return value == null || value.isBlank() ? field + " is required" : optionalText(field, value, MAX_CHARACTERS);
    }

    /** Absent (null) or text of at most {@link #MAX_CHARACTERS} characters. */
    public static String optionalText(String field, String value) {
        return optionalText(field, value, MAX_CHARACTERS);
    }

    /** Absent (null) or text of at most {@code maxCharacters} characters. */
    public static String optionalText(String field, String value, int maxCharacters) {
        if (value == null) {
            return null;
        }
        if (value.isBlank()) {
            return field + " must not be blank";
        }
        int characters = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c)) {
                return field + " must not contain control characters";
            }
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++; // a pair is one character
            } else if (Character.isSurrogate(c)) {
                return field + " must be valid Unicode text (it holds an unpaired surrogate)";
            }
            characters++;
        }
        return characters <= maxCharacters ? null : field + " must be at most " + maxCharacters + " characters";
    }

    public static boolean isE164(String value) {
        return value != null && E164.matcher(value).matches();
    }

    public static String e164(String field, String value) {
        return isE164(value) ? null : field + " must be an E.164 phone number such as +14155551234";
    }

    public static boolean isLowerCaseUuid(String value) {
        return value != null && LOWER_CASE_UUID.matcher(value).matches();
    }

    public static String lowerCaseUuid(String field, String value) {
        return isLowerCaseUuid(value) ? null : field + " must be a lower-case UUID";
    }

    /** Absent (null) or zero and above. */
    public static String nonNegative(String field, Long value) {
        return value == null || value >= 0 ? null : field + " must not be negative";
    }

    public static String positive(String field, long value) {
        return value > 0 ? null : field + " must be a positive integer";
    }

    public static String timestamp(String field, Instant value) {
        if (value == null) {
            return field + " is required";
        }
        return value.isBefore(EARLIEST) || value.isAfter(LATEST) ? field + " must be between 1970 and 9999" : null;
    }

    /** The first message that is not null, or null when every check passed. */
    public static String firstOf(String... messages) {
        for (String message : messages) {
            if (message != null) {
                return message;
            }
        }
        return null;
    }
}
