package com.personasettings.processor.db;

import com.personasettings.schemas.rules.FieldRules;

import java.time.Instant;
import java.util.UUID;

/**
 * Values of a command as PostgreSQL can hold them. A refused command is still recorded (the audit trail keeps
 * every command), but what made it invalid may be exactly what PostgreSQL cannot store: {@code text} and
 * {@code jsonb} refuse U+0000, an unpaired surrogate is no UTF-8, a timestamp may lie outside the column's
 * range, and a string may be a megabyte long. So stored text has control characters and unpaired surrogates
 * replaced by U+FFFD and is cut at {@link #MAX_STORED_CHARACTERS} (a key column at {@link FieldRules#MAX_CHARACTERS},
 * as an index row holds at most 2,704 bytes), and timestamps are clamped to the range {@link FieldRules} accepts.
 * Values that pass {@link FieldRules} are stored unchanged. Pure, so a replay stores the same.
 */
final class Storable {

    /** Longer text is cut here (with an ellipsis): four times what a valid value may be. */
    static final int MAX_STORED_CHARACTERS = 4 * FieldRules.MAX_CHARACTERS;
    private static final char REPLACEMENT = '\uFFFD';

    private Storable() {
    }

    static String text(String value) {
        return text(value, MAX_STORED_CHARACTERS);
    }

    /** For a column that is part of an index (the phone number): short enough for an index row. */
    static String key(String value) {
        return text(value, FieldRules.MAX_CHARACTERS);
    }

    private static String text(String value, int maxCharacters) {
        if (value == null || isStorable(value, maxCharacters)) {
            return value;
        }
        StringBuilder stored = new StringBuilder(Math.min(value.length(), maxCharacters + 1));
        int characters = 0;
        for (int i = 0; i < value.length(); i++) {
            if (characters == maxCharacters) {
                return stored.append('\u2026').toString();
            }
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                stored.append(c).append(value.charAt(++i));
            } else {
                stored.append(Character.isISOControl(c) || Character.isSurrogate(c) ? REPLACEMENT : c);
            }
            characters++;
        }
        return stored.toString();
    }

    /**
     * An org id for a uuid column: the UUID, or null when the value is not one (a command refused for that). Only the
     * canonical lower-case form counts, the one {@link FieldRules#lowerCaseUuid} accepts, so what is stored reads
     * back as the same string.
     */
    static UUID org(String value) {
        return FieldRules.isLowerCaseUuid(value) ? UUID.fromString(value) : null;
    }

    static Instant timestamp(Instant value) {
        if (value.isBefore(FieldRules.EARLIEST)) {
            return FieldRules.EARLIEST;
        }
        return value.isAfter(FieldRules.LATEST) ? FieldRules.LATEST : value;
    }

    private static boolean isStorable(String value, int maxCharacters) {
        if (value.length() > maxCharacters) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c) || Character.isSurrogate(c)) {
                return false;
            }
        }
        return true; // pairs are surrogates too, so a string with one takes the slow path above: rare, and right
    }
}
