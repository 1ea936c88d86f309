package com.personasettings.bench;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The harness end to end at tiny scale: every figure measured and written. Its numbers mean nothing. */
class BenchSmokeIT {

    @Test
    void theHarnessMeasuresEveryFigureAndWritesTheReport() throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Results results = new Benchmarks(Benchmarks.Plan.smoke(), new PrintStream(log, true, StandardCharsets.UTF_8))
                .run(Path.of("target/bench-smoke-stack").toAbsolutePath());
        Path out = Path.of("target/bench-smoke");
        Report.write(results, "smoke test", out);

        assertThat(results.sync()).singleElement().extracting(Results.Sync::commit)
                .isEqualTo(new CommitPolicy(java.time.Duration.ofMillis(50), true));
        OpenLoop.Result sync = results.sync().get(0).run();
        assertThat(sync.answered()).isEqualTo(100);
        assertThat(sync.statuses()).containsKeys(200, 404, 400).doesNotContainKey(0);
        Results.Async async = results.async().get(0);
        assertThat(async.run().statuses()).containsKey(202);
        assertThat(async.endToEndPerSecond()).isPositive();
        assertThat(results.replay().records()).isGreaterThan(results.drainedCommands());
        assertThat(results.replay().applied()).isGreaterThan(results.drainedCommands());
        assertThat(results.postgresBatched().perSecond()).isGreaterThan(results.postgresSingle().perSecond());
        assertThat(results.kafkaProducePerSecond()).isPositive();
        assertThat(results.restart()).isPositive();

        assertThat(Files.readString(out.resolve("results.md"))).contains("sync PATCH at 50 requests/s, commit interval 50 ms",
                "async PATCH offered at 100", "highest sustained async", "draining 2,000", "replay of the whole log", "restart to RUNNING",
                "ProducerPerformance", "commands per transaction");
        byte[] png = Files.readAllBytes(out.resolve("latency.png"));
        assertThat(png).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
        assertThat(Files.readString(out.resolve("sync-50-commit-50ms-demand.hgrm"))).contains("Percentile", "1/(1-Percentile)");
    }
}
