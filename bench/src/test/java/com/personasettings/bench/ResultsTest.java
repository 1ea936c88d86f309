package com.personasettings.bench;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ResultsTest {

    /** 20 s offered at 1,000/s: 19,000 accepted (950/s), the rest rejected, and extra statuses as given. */
    private static Results.Async run(double endToEndPerSecond, Map<Integer, Long> extra) {
        Map<Integer, Long> statuses = new java.util.HashMap<>(Map.of(202, 19_000L, 400, 1_000L));
        statuses.putAll(extra);
        return new Results.Async(new OpenLoop.Result(1000, Duration.ofSeconds(20), new Histogram(3), statuses),
                endToEndPerSecond, new CpuUse(Map.of(), 19_000, Duration.ofSeconds(20)));
    }

    @Test
    void aRateIsSustainedWhenEndToEndKeepsUpWithAcceptance() {
        assertThat(run(900, Map.of()).sustained()).isTrue();                 // ≥ 0.9 × 950
        assertThat(run(800, Map.of()).sustained()).as("backlog left").isFalse();
    }

    @Test
    void aRateWithRequestsNotSentOrFailedIsNotSustained() {
        assertThat(run(950, Map.of(-1, 5L)).sustained()).as("shed by the generator").isFalse();
        assertThat(run(950, Map.of(0, 1L)).sustained()).as("failed without a status").isFalse();
    }

    @Test
    void theHighestSustainedRateIgnoresRunsThatFellBehind() {
        Results results = results(List.of(run(900, Map.of()), run(930, Map.of()), run(2_000, Map.of(-1, 10L))), List.of());
        assertThat(results.highestSustainedAsync()).hasValue(930);
    }

    private static Results results(List<Results.Async> async, List<Results.Reference> references) {
        return new Results(null, 0, null, null, null, 0, null, List.of(), async, references, 0, 0, null, 0, null, null, null, null);
    }

    private static Results.Reference peer(Results.Peer peer, double rate, long p99Micros, Map<Integer, Long> statuses) {
        Histogram latency = new Histogram(3);
        latency.recordValueWithCount(p99Micros / 10, 98);
        latency.recordValueWithCount(p99Micros, 2);
        return new Results.Reference(peer, new OpenLoop.Result(rate, Duration.ofSeconds(20), latency, statuses),
                new CpuUse(Map.of(), 100, Duration.ofSeconds(20)));
    }

    @Test
    void aPeerKeepsUpWhileEveryRequestIsAnsweredAndItsTailStaysUnderASecond() {
        Results results = results(List.of(), List.of(
                peer(Results.Peer.CRUD, 1000, 20_000, Map.of(200, 100L)),
                peer(Results.Peer.CRUD, 2000, 900_000, Map.of(200, 100L)),
                peer(Results.Peer.CRUD, 4000, 3_000_000, Map.of(200, 100L)),          // queue grew all run long
                peer(Results.Peer.HTTP, 8000, 5_000, Map.of(200, 90L, -1, 10L))));    // shed by the generator

        assertThat(results.highestSustained(Results.Peer.CRUD)).hasValue(2000);
        assertThat(results.highestSustained(Results.Peer.HTTP)).isEmpty();
        assertThat(results.reference(Results.Peer.CRUD, 4000)).isPresent();
        assertThat(results.reference(Results.Peer.HTTP, 1000)).isEmpty();
    }

    @Test
    void cpuPerCommandLeavesTheLoadGeneratorOutOfTheServersTotal() {
        CpuUse use = new CpuUse(new java.util.LinkedHashMap<>(Map.of("gateway", 2_000_000L, "broker", 1_000_000L,
                CpuUse.LOAD_GENERATOR, 3_000_000L)), 1_000, Duration.ofSeconds(5));

        assertThat(use.microsPerCommand("gateway")).isEqualTo(2_000);
        assertThat(use.serverMicrosPerCommand()).isEqualTo(3_000);
        assertThat(use.cores()).isEqualTo(1.2);                               // 6 s of CPU in 5 s
        assertThat(use.boundPerSecond(2)).isCloseTo(666.7, org.assertj.core.data.Offset.offset(0.1));
    }
}
