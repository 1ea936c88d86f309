package com.personasettings.devlauncher;

import com.personasettings.launcher.Launcher;
import com.personasettings.launcher.Port;

import com.personasettings.torture.Torture;
import com.personasettings.torture.TorturePorts;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;

/** Faults under load, with a ledger: see {@link Torture}. */
@Command(name = "torture", mixinStandardHelpOptions = true,
        description = {"Runs a stack of separate processes (a 3-node Kafka cluster, PostgreSQL, the registry, 2 processors,"
                + " 2 gateways), sends open-loop load to both gateways while it kills a processor, a gateway and a"
                + " broker with SIGKILL, stops PostgreSQL and restarts a broker, then checks the ledger: nothing lost,"
                + " nothing duplicated, nothing invented, replay --verify identical. Prints a table per fault phase.",
                "Exit status: 0 the ledger holds, 1 it does not, 2 the run could not be completed."})
final class TortureCommand implements Callable<Integer> {

    @Option(names = "--minutes", defaultValue = "10", description = "How long the load runs (default: ${DEFAULT-VALUE}); "
            + "the baseline and each of the 5 faults get an equal share.")
    double minutes;

    @Option(names = "--rate", defaultValue = "40", description = "Requests per second over both gateways (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--dir", defaultValue = "target/torture", description = "The run's files, deleted first and kept "
            + "afterwards: logs, requests.jsonl, report.txt (default: ${DEFAULT-VALUE}).")
    Path dir;

    @Option(names = "--base-port", defaultValue = "29100", description = "First of the ports the stack listens on: Kafka "
            + "+0..5, PostgreSQL +10, registry +11, gateways +20 and +21 (default: ${DEFAULT-VALUE}).")
    int basePort;

    @Option(names = "--numbers", defaultValue = "200", description = "Numbers the load is spread over (default: ${DEFAULT-VALUE}).")
    int numbers;

    @Option(names = "--seed", description = "Seed of the request mix (default: random, printed).")
    Long seed;

    @Override
    public Integer call() throws Exception {
        List<TorturePorts.Listener> listeners = new TorturePorts(basePort).all();
        List<Port> taken = Port.taken(listeners.stream().map(l -> new Port(l.port(), l.name(), l.host(), "--base-port")).toList());
        if (!taken.isEmpty()) {
            System.err.println(Port.describe(taken) + " already in use: is another torture run going? Stop it or pass "
                    + "--base-port.");
            return Torture.COULD_NOT_RUN;
        }
        Torture.Options options = new Torture.Options(Duration.ofMillis((long) (minutes * 60_000)), rate, dir, basePort,
                numbers, 4, Math.max(3, numbers / 10), seed != null ? seed : ThreadLocalRandom.current().nextLong(),
                Launcher.class.getName());
        return Torture.run(options, System.out);
    }
}
