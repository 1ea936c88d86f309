package com.personasettings.launcher;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./persona-settings}: one entry point for the dev stack and for each service run alone. */
@Command(name = "persona-settings", mixinStandardHelpOptions = true,
        description = "Per-number persona settings: HTTP gateway, Kafka Streams processor and their dev stack.",
        subcommands = {DevCommand.class, ProcessorCommand.class, GatewayCommand.class, AdminCommand.class,
                ReplayCommand.class, LoadCommand.class, BenchCommand.class})
public final class Launcher implements Runnable {

    private static final String COMMON_POOL_PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

    public static void main(String[] args) {
        // On two cores the common pool has parallelism 1, and CompletableFuture then runs every *Async stage
        // without an executor on a new thread. The JDK's HttpClient (the load generator's) completes each
        // response that way: thousands of threads a second under load. Set before anything starts the pool.
        if (System.getProperty(COMMON_POOL_PARALLELISM) == null) {
            System.setProperty(COMMON_POOL_PARALLELISM,
                    Integer.toString(Math.max(2, Runtime.getRuntime().availableProcessors() - 1)));
        }
        System.exit(new CommandLine(new Launcher()).execute(args));
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
