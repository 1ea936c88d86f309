package com.personasettings.devlauncher;

import com.personasettings.bench.Flood;
import com.personasettings.bench.OpenLoop;
import com.personasettings.bench.Workload;
import com.personasettings.gateway.GatewayConfig;
import com.personasettings.gateway.admin.Operator;
import com.personasettings.gateway.db.GatewayDatabase;
import com.personasettings.client.PersonaClient;
import com.personasettings.platform.DataSources;
import com.personasettings.platform.Pool;
import com.zaxxer.hikari.HikariDataSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** The open-loop load generator against a running stack (the dev stack, say). */
@Command(name = "load", mixinStandardHelpOptions = true,
        description = "Sends PATCH requests at a fixed rate to a running gateway (open loop: latency counted from when "
                + "each request was due) and prints latency percentiles. Sets up its own org, personas and numbers "
                + "first, with the operator's environment variables (as for admin).")
final class LoadCommand implements Callable<Integer> {

    @Option(names = "--url", defaultValue = "http://localhost:8080", description = "Gateway (default: ${DEFAULT-VALUE}).")
    URI url;

    @Option(names = "--rate", defaultValue = "200", description = "Requests per second (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--seconds", defaultValue = "30", description = "How long (default: ${DEFAULT-VALUE}).")
    long seconds;

    @Option(names = "--async", description = "Ask for 202 + status URL (Prefer: respond-async) instead of waiting.")
    boolean async;

    @Option(names = "--numbers", defaultValue = "1000", description = "Numbers to spread requests over (default: ${DEFAULT-VALUE}).")
    int numbers;

    @Option(names = "--personas", defaultValue = "10", description = "Personas they are attached to (default: ${DEFAULT-VALUE}).")
    int personas;

    @Option(names = "--flood-rate", defaultValue = "0", description = "Also measure under a flood of this many requests "
            + "per second with made-up API keys: the PATCHes run alone, with the flood, and alone again, and the p99s "
            + "are compared (default: no flood).")
    double floodRate;

    @Override
    public Integer call() throws Exception {
        GatewayConfig config = GatewayConfig.fromEnvironment();
        Workload workload;
        // The set-up's inserts and its polls of the processor's tables, one at a time.
        try (HikariDataSource database = DataSources.pooled(config.database(), Pool.of("load-db", 2));
             PersonaClient client = Operator.client(config.bootstrapServers(), config.schemaRegistryUrl(),
                     config.kafkaClient())) {
            System.out.println("Setting up " + numbers + " numbers on " + personas + " personas ...");
            workload = Workload.setUp(new Operator(new GatewayDatabase(database), client),
                    database, url, personas, numbers);
        }
        try (workload) {
            if (floodRate > 0) {
                return underFlood(workload);
            }
            System.out.printf("%s PATCH at %.0f requests/s for %d s ...%n", async ? "Async" : "Sync", rate, seconds);
            OpenLoop.Result result = patches(workload);
            System.out.println("Statuses: " + result.statuses());
            result.latency().outputPercentileDistribution(System.out, 1000.0);    // microseconds → milliseconds
        }
        return 0;
    }

    private OpenLoop.Result patches(Workload workload) throws InterruptedException {
        return OpenLoop.run(rate, Duration.ofSeconds(seconds), i -> workload.patch(async));
    }

    /**
     * The PATCHes alone, then with the flood, then alone again: the flood's effect is its p99 against the two runs
     * around it, which also shows how much the machine drifted meanwhile.
     */
    private int underFlood(Workload workload) throws Exception {
        System.out.printf("%s PATCH at %.0f requests/s, %d s alone, %d s with %.0f requests/s of made-up keys, %d s "
                + "alone ...%n", async ? "Async" : "Sync", rate, seconds, seconds, floodRate, seconds);
        OpenLoop.Result before = patches(workload);
        OpenLoop.Result during;
        OpenLoop.Result flood;
        // The flood's open loop on a thread of its own, beside the caller's on this one.
        ExecutorService floodThread = Executors.newSingleThreadExecutor();
        try (Flood flooding = new Flood(url)) {
            Future<OpenLoop.Result> floodRun = floodThread.submit(
                    () -> OpenLoop.run(floodRate, Duration.ofSeconds(seconds), i -> flooding.send()));
            during = patches(workload);
            flood = floodRun.get();
        } finally {
            floodThread.shutdownNow();
        }
        OpenLoop.Result after = patches(workload);
        System.out.printf("%-22s %10s %10s %10s  %s%n", "", "p50 ms", "p99 ms", "p99.9 ms", "statuses");
        row("PATCH alone", before);
        row("PATCH with the flood", during);
        row("PATCH alone again", after);
        row("the flood", flood);
        double alone = (p99(before) + p99(after)) / 2;
        System.out.printf("p99 with the flood / p99 alone (mean of the runs around it): %.2f%n", p99(during) / alone);
        return 0;
    }

    private static void row(String name, OpenLoop.Result result) {
        System.out.printf("%-22s %10.1f %10.1f %10.1f  %s%n", name,
                result.latency().getValueAtPercentile(50) / 1000.0, p99(result),
                result.latency().getValueAtPercentile(99.9) / 1000.0, result.statuses());
    }

    private static double p99(OpenLoop.Result result) {
        return result.latency().getValueAtPercentile(99) / 1000.0;
    }
}
