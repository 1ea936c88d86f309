package com.personasettings.devlauncher;

import com.personasettings.bench.Benchmarks;
import com.personasettings.bench.CommitPolicy;
import com.personasettings.bench.CpuUse;
import com.personasettings.bench.OpenLoop;
import com.personasettings.bench.Report;
import com.personasettings.bench.Results;
import com.personasettings.launcher.Launcher;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The harness end to end at tiny scale, with the processor and the gateway run as {@code ./persona-settings} runs them
 * (hence here, beside the launcher): every figure measured and written. Its numbers mean nothing.
 */
class BenchSmokeIT {

    @Test
    void theHarnessMeasuresEveryFigureAndWritesTheReport() throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Path out = Path.of("target/bench-smoke").toAbsolutePath();
        Benchmarks.Plan smoke = Benchmarks.Plan.smoke();
        Benchmarks.Plan plan = new Benchmarks.Plan(smoke.syncRates(), smoke.syncDuration(), smoke.commitPolicies(),
                smoke.asyncRates(), smoke.asyncDuration(), smoke.drainCommands(), smoke.numbers(), smoke.personas(),
                smoke.postgresCommands(), out);
        Results results = new Benchmarks(plan, Launcher.class.getName(), new PrintStream(log, true, StandardCharsets.UTF_8))
                .run(Path.of("target/bench-smoke-stack").toAbsolutePath());
        Report.write(results, "smoke test", out);

        assertThat(results.sync()).singleElement().extracting(Results.Sync::commit)
                .isEqualTo(new CommitPolicy(java.time.Duration.ofMillis(50), true));
        OpenLoop.Result sync = results.sync().get(0).run();
        // (200 and 404 only: 5 % of the mix is a 400, which 100 requests miss one run in 170.)
        assertThat(sync.answered()).isEqualTo(100);
        assertThat(sync.statuses()).containsKeys(200, 404).doesNotContainKey(0);
        Results.Async async = results.async().get(0);
        assertThat(async.run().statuses()).containsKey(202);
        assertThat(async.endToEndPerSecond()).isPositive();
        assertThat(results.replay().records()).isGreaterThan(results.drainedCommands());
        assertThat(results.replay().applied()).isGreaterThan(results.drainedCommands());
        assertThat(results.postgresBatched().perSecond()).isGreaterThan(results.postgresSingle().perSecond());
        assertThat(results.postgresCopy().perSecond()).isPositive();
        assertThat(results.kafkaProducePerSecond()).isPositive();
        // Killed, the processor read back what its changelogs hold past the offsets its stores recorded (see
        // RestoreLog); without its state directory, every store from scratch: a record per number at least.
        assertThat(results.restartAfterKill().restoredRecords()).isPositive();
        assertThat(results.restartWithoutState().restored().get("numbers"))
                .isGreaterThanOrEqualTo((long) results.numbersInState());
        for (Results.Restart restart : List.of(results.restart(), results.restartAfterKill(), results.restartWithoutState())) {
            assertThat(restart.serving()).isGreaterThan(restart.running());
            assertThat(restart.statuses()).containsKey(200).doesNotContainKeys(0, -1, 202);
        }
        // Every server process was found and spent CPU on the sync phase; so did the generator, in its own JVM.
        CpuUse cpu = results.sync().get(0).cpu();
        assertThat(cpu.micros()).containsOnlyKeys("gateway", "processor", "broker", "registry", "PostgreSQL",
                "peer", CpuUse.LOAD_GENERATOR);
        // (The registry may well be idle for the phase's 2 s: the schemas are cached.)
        for (String part : List.of("gateway", "processor", "broker", "PostgreSQL", CpuUse.LOAD_GENERATOR)) {
            assertThat(cpu.micros().get(part)).as(part).isPositive();
        }
        assertThat(results.drainCpu().microsPerCommand("processor")).isPositive();
        // The drain's processor is a new JVM: its compiler threads' CPU is found and counted apart.
        assertThat(results.drainCpu().jitMicrosPerCommand("processor")).isPositive()
                .isLessThan(results.drainCpu().microsPerCommand("processor"));
        // The peer and the HTTP ceiling at the sync and the async rate: answered, and the peer's CPU its own.
        assertThat(results.references()).extracting(r -> r.peer() + " " + (int) r.run().rate())
                .containsExactly("CRUD 50", "CRUD 100", "HTTP 50", "HTTP 100");
        Results.Reference crud = results.reference(Results.Peer.CRUD, 50).orElseThrow();
        assertThat(crud.run().statuses()).containsKeys(200, 404).doesNotContainKey(0);
        assertThat(crud.cpu().micros().get("peer")).isPositive();
        assertThat(crud.cpu().micros().get("processor")).isLessThan(crud.cpu().micros().get("peer"));
        assertThat(results.reference(Results.Peer.HTTP, 50).orElseThrow().run().statuses()).containsOnlyKeys(200);

        assertThat(Files.readString(out.resolve("results.md"))).contains("sync PATCH at 50 requests/s, commit interval 50 ms",
                "async PATCH offered at 100", "highest sustained async", "draining 2,000", "replay of the whole log", "to RUNNING / serving every partition", "after kill -9", "without its state directory", "by COPY", "CPU per command", "CRUD peer", "HTTP ceiling", "Highest sustained",
                "ProducerPerformance", "commands per transaction");
        for (String server : List.of("gateway", "processor", "broker", "processor-drain")) {
            assertThat(out.resolve("flame-" + server + ".html")).as(server + "'s flame graph").content()
                    .contains("<html").hasSizeGreaterThan(10_000);
        }
        byte[] png = Files.readAllBytes(out.resolve("latency.png"));
        assertThat(png).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
        assertThat(Files.readString(out.resolve("sync-50-commit-50ms-demand.hgrm"))).contains("Percentile", "1/(1-Percentile)");
    }
}
