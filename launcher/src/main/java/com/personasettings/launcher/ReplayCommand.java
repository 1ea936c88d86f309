package com.personasettings.launcher;

import com.personasettings.processor.ProcessorConfig;
import com.personasettings.processor.replay.Progress;
import com.personasettings.processor.replay.ReplayRun;
import com.personasettings.processor.replay.StartPosition;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;

/** Rebuilds the processor's tables from the command log, and compares them with the live ones. */
@Command(name = "replay", mixinStandardHelpOptions = true, exitCodeOnExecutionException = 2,
        description = {"Reprocesses the command log into a database (by default a new one next to DATABASE_URL's)"
                + " exactly as the processor did, sending nothing to Kafka. Uses the processor's environment"
                + " variables (KAFKA_BOOTSTRAP_SERVERS, SCHEMA_REGISTRY_URL, DATABASE_URL, ...).",
                "Exit status: 0 done (and identical with --verify), 1 differences found, 2 failed."})
final class ReplayCommand implements Callable<Integer> {

    @ArgGroup(exclusive = true)
    Start start;

    static final class Start {
        @Option(names = "--from-timestamp", paramLabel = "INSTANT",
                description = "Start at the first command at or after this time, e.g. 2026-11-28T10:00:00Z.")
        Instant timestamp;

        @Option(names = "--from-offsets", paramLabel = "P:O,...",
                description = "Start at these offsets, one per partition, e.g. 0:1200,1:980,2:1105.")
        String offsets;
    }

    @Option(names = "--target-url", paramLabel = "JDBC_URL",
            description = "Database to replay into. Without it a fresh one is created next to DATABASE_URL's. "
                    + "Unless empty, it must hold the state at the start position (a backup taken there).")
    String targetUrl;

    @Option(names = "--verify", description = "Compare the replayed rows and outcomes with the live database; "
            + "print every difference and exit 1 on any.")
    boolean verify;

    @Option(names = "--verify-wait", paramLabel = "SECONDS", defaultValue = "60",
            description = "How long --verify waits for the live processor to reach the replay's end (default 60).")
    long verifyWaitSeconds;

    @Override
    public Integer call() throws InterruptedException {
        StartPosition from = start == null ? StartPosition.beginning()
                : start.timestamp != null ? StartPosition.at(start.timestamp)
                : StartPosition.offsets(start.offsets);
        return new ReplayRun(from, targetUrl, verify, Duration.ofSeconds(verifyWaitSeconds))
                .run(ProcessorConfig.fromEnvironment(), System.out, Progress.forConsole(System.out));
    }
}
