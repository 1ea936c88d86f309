package com.personasettings.devlauncher;

import com.personasettings.bench.OpenLoop;
import com.personasettings.bench.Workload;
import com.personasettings.gateway.GatewayConfig;
import com.personasettings.gateway.admin.Operator;
import com.personasettings.gateway.db.GatewayDatabase;
import com.personasettings.gateway.kafka.CommandPublisher;
import com.personasettings.schemas.registry.SchemaRegistryClient;
import com.personasettings.platform.DataSources;
import com.personasettings.platform.Pool;
import com.zaxxer.hikari.HikariDataSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;

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

    @Override
    public Integer call() throws Exception {
        GatewayConfig config = GatewayConfig.fromEnvironment();
        Workload workload;
        // The set-up's inserts and its polls of the processor's tables, one at a time.
        try (HikariDataSource database = DataSources.pooled(config.database(), Pool.of("load-db", 2));
             CommandPublisher publisher = new CommandPublisher(config.kafkaClient(),
                     new SchemaRegistryClient(config.schemaRegistryUrl()), null, null)) {
            System.out.println("Setting up " + numbers + " numbers on " + personas + " personas ...");
            workload = Workload.setUp(new Operator(new GatewayDatabase(database), publisher, Clock.systemUTC()),
                    database, url, personas, numbers);
        }
        System.out.printf("%s PATCH at %.0f requests/s for %d s ...%n", async ? "Async" : "Sync", rate, seconds);
        OpenLoop.Result result;
        try (workload) {
            result = OpenLoop.run(rate, Duration.ofSeconds(seconds), i -> workload.patch(async));
        }
        System.out.println("Statuses: " + result.statuses());
        result.latency().outputPercentileDistribution(System.out, 1000.0);    // microseconds → milliseconds
        return 0;
    }
}
