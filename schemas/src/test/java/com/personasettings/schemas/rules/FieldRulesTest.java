package com.personasettings.schemas.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The value rules shared by the gateway and the processor. */
class FieldRulesTest {

    @ParameterizedTest(name = "refuses {0}")
    @ValueSource(strings = {"\u0000", "a\u0000b", "tab\there", "line\nbreak", "\u007f", "\u0085", "\u009f"})
    void controlCharactersAreRefused(String value) {
        assertThat(FieldRules.optionalText("pathway_id", value)).isEqualTo("pathway_id must not contain control characters");
    }

    @ParameterizedTest(name = "refuses {0}")
    @ValueSource(strings = {"\ud800", "a\udc00", "\udc00\ud800", "x\ud83d"})
    void unpairedSurrogatesAreRefused(String value) {
        assertThat(FieldRules.optionalText("label", value))
                .isEqualTo("label must be valid Unicode text (it holds an unpaired surrogate)");
    }

    @ParameterizedTest(name = "accepts {0}")
    @ValueSource(strings = {"pathway_abc123", "Zürich", "\u202eevil", "日本語", "\ud83d\ude00 smile", "a b"})
    void ordinaryUnicodeIsAccepted(String value) {
        assertThat(FieldRules.optionalText("label", value)).isNull();
    }

    @Test
    void theLimitCountsCharactersSoAPairIsOne() {
        String emoji = "\ud83d\ude00";
        assertThat(FieldRules.optionalText("label", emoji.repeat(255))).isNull();
        assertThat(FieldRules.optionalText("label", emoji.repeat(256))).isEqualTo("label must be at most 255 characters");
        assertThat(emoji.repeat(255).getBytes(java.nio.charset.StandardCharsets.UTF_8)).hasSize(FieldRules.MAX_UTF8_BYTES);
        assertThat(FieldRules.optionalText("label", "x".repeat(255))).isNull();
        assertThat(FieldRules.optionalText("label", "x".repeat(65_536))).isEqualTo("label must be at most 255 characters");
    }

    @Test
    void blankAndMissing() {
        assertThat(FieldRules.optionalText("label", null)).isNull();
        assertThat(FieldRules.optionalText("label", " ")).isEqualTo("label must not be blank");
        assertThat(FieldRules.requiredText("actor", null)).isEqualTo("actor is required");
        assertThat(FieldRules.requiredText("actor", "  ")).isEqualTo("actor is required");
        assertThat(FieldRules.requiredText("actor", "a\u0000")).isEqualTo("actor must not contain control characters");
    }

    @Test
    void numbersAndTimestamps() {
        assertThat(FieldRules.nonNegative("v", -1L)).isEqualTo("v must not be negative");
        assertThat(FieldRules.nonNegative("v", Long.MAX_VALUE)).isNull();
        assertThat(FieldRules.nonNegative("v", null)).isNull();
        assertThat(FieldRules.positive("id", 0)).isEqualTo("id must be a positive integer");
        assertThat(FieldRules.timestamp("issued_at", Instant.ofEpochMilli(Long.MIN_VALUE))).isEqualTo("issued_at must be between 1970 and 9999");
        assertThat(FieldRules.timestamp("issued_at", Instant.ofEpochMilli(Long.MAX_VALUE))).isEqualTo("issued_at must be between 1970 and 9999");
        assertThat(FieldRules.timestamp("issued_at", Instant.parse("2026-11-30T12:00:00Z"))).isNull();
        assertThat(FieldRules.timestamp("issued_at", null)).isEqualTo("issued_at is required");
    }

    @Test
    void identifiers() {
        assertThat(FieldRules.e164("phone_number", "+14155551234")).isNull();
        assertThat(FieldRules.e164("phone_number", "+1415555123\u0000")).isNotNull();
        assertThat(FieldRules.lowerCaseUuid("persona_id", "12345678-1234-1234-1234-123456789012")).isNull();
        assertThat(FieldRules.lowerCaseUuid("persona_id", "ABCDEF78-1234-1234-1234-123456789012")).isNotNull();
    }
}
