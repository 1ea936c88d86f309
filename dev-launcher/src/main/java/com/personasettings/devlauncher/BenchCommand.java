package com.personasettings.devlauncher;

import com.personasettings.bench.Benchmarks;
import com.personasettings.bench.Report;
import com.personasettings.bench.Results;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/** Every benchmark figure and its ceiling, on a fresh stack of its own. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measures the machine's ceilings and the product's figures in one run on a fresh stack of its "
                + "own, and writes results.md, latency.png and .hgrm files (about 15 minutes; --smoke: seconds).")
final class BenchCommand implements Callable<Integer> {

    @Option(names = "--out", defaultValue = "target/bench-results", description = "Where results go (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--work-dir", defaultValue = "target/bench-stack", description = "The stack's files, deleted first (default: ${DEFAULT-VALUE}).")
    Path workDir;

    @Option(names = "--smoke", description = "A seconds-long run at tiny scale: checks the harness, measures nothing.")
    boolean smoke;

    @Option(names = "--rates", split = ",", description = "Sync PATCH rates, requests/s (default: 200,1000,2000).")
    List<Integer> rates;

    @Option(names = "--seconds", description = "Seconds per sync rate (default: 30).")
    Integer seconds;

    @Option(names = "--commit-intervals", split = ",", description = "Processor commit intervals (ms) each sync rate is run at (default: 100,20).")
    List<Long> commitIntervals;

    @Option(names = "--commit-on-demand", split = ",", arity = "1", description = "With the processor committing on demand (true), at "
            + "its interval only (false), or each in turn (default: false,true), at every commit interval.")
    List<Boolean> commitOnDemand;

    @Option(names = "--async-rates", split = ",", description = "Offered async rates, requests/s, in turn (default: 1000,2000,4000).")
    List<Integer> asyncRates;

    @Option(names = "--drain", description = "Commands pre-filled for the drain, restart and replay figures (default: 1000000).")
    Integer drain;

    @Option(names = "--profile", description = "Also writes flame graphs (async-profiler, CPU) of the gateway, the processor and "
            + "the broker to --out, from a sync run of their own at the highest sync rate.")
    boolean profile;

    @Override
    public Integer call() throws Exception {
        Benchmarks.Plan plan = smoke ? Benchmarks.Plan.smoke() : Benchmarks.Plan.full();
        plan = new Benchmarks.Plan(rates != null ? rates : plan.syncRates(),
                seconds != null ? Duration.ofSeconds(seconds) : plan.syncDuration(),
                commitIntervals == null && commitOnDemand == null ? plan.commitPolicies() : Benchmarks.policies(
                        (commitIntervals != null ? commitIntervals : List.of(100L, 20L)).stream().map(Duration::ofMillis)
                                .toList(), commitOnDemand != null ? commitOnDemand : List.of(false, true)),
                asyncRates != null ? asyncRates : plan.asyncRates(), plan.asyncDuration(),
                drain != null ? drain : plan.drainCommands(), plan.numbers(), plan.personas(), plan.postgresCommands(),
                profile ? out.toAbsolutePath() : null);
        Results results = new Benchmarks(plan, com.personasettings.launcher.Launcher.class.getName(), System.out)
                .run(workDir.toAbsolutePath());
        Report.write(results, machine(), out);
        System.out.println(Files.readString(out.resolve("results.md")));
        System.out.println("Written to " + out.toAbsolutePath());
        return 0;
    }

    /** CPU model and count, memory and JVM: what a reader needs to compare figures across machines. */
    static String machine() throws IOException {
        String cpu = "unknown CPU";
        Path cpuinfo = Path.of("/proc/cpuinfo");
        if (Files.isReadable(cpuinfo)) {
            cpu = Files.readAllLines(cpuinfo).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse(cpu);
        }
        long memoryGb = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getTotalMemorySize() >> 30;
        return String.format("%d × %s, %d GB RAM, Java %s", Runtime.getRuntime().availableProcessors(), cpu, memoryGb,
                System.getProperty("java.version"));
    }
}
