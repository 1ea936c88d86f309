package com.personasettings.processor.replay;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReplayOptionsTest {

    @Test
    void offsetsAreReadAsPartitionColonOffset() {
        assertThat(StartPosition.offsets("0:1200, 1:980,2:0"))
                .isEqualTo(new StartPosition.Offsets(Map.of(0, 1200L, 1, 980L, 2, 0L)));
    }

    @Test
    void malformedOffsetsAreRejectedWithTheExpectedForm() {
        assertThatThrownBy(() -> StartPosition.offsets("0=1200")).hasMessageContaining("0:1200,1:980");
        assertThatThrownBy(() -> StartPosition.offsets("0:x")).hasMessageContaining("partition:offset");
    }

    @Test
    void aFreshDatabaseIsNamedAfterTheLiveOneKeepingHostAndParameters() {
        Clock clock = Clock.fixed(Instant.parse("2026-11-28T12:03:04.567Z"), ZoneOffset.UTC);
        assertThat(FreshDatabase.nextTo("jdbc:postgresql://db:5432/persona_settings?sslmode=require", clock))
                .isEqualTo("jdbc:postgresql://db:5432/persona_settings_replay_20261128_120304_567?sslmode=require");
        assertThat(FreshDatabase.nextTo("jdbc:postgresql://db/" + "x".repeat(80), clock))
                .matches("jdbc:postgresql://db/x{36}_replay_20261128_120304_567");
        assertThatThrownBy(() -> FreshDatabase.nextTo("jdbc:postgresql://db:5432/", clock))
                .hasMessageContaining("--target-url");
    }

    @Test
    void theProgressLineShowsRecordsRateAndTimeLeft() {
        assertThat(Progress.Line.line(250_000, 1_000_000, Duration.ofSeconds(10).toNanos()))
                .startsWith("replayed 250,000 / 1,000,000 records (25%)  25,000 records/s  0:00:30 left");
    }
}
