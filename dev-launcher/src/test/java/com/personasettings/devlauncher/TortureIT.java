package com.personasettings.devlauncher;

import com.personasettings.torture.TorturePorts;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code ./persona-settings torture} at CI scale, as a user runs it: each fault once, a minute of load at 25 requests
 * per second (the restarts, a few tens of seconds each on a small machine, stretch the phases), then the ledger.
 * The long run is documented in docs/reliability.md.
 */
class TortureIT {

    @Test
    void everyFaultOnceUnderLoadAndTheLedgerHolds() throws Exception {
        Path dir = Path.of("target", "torture-it").toAbsolutePath();
        int basePort = freeBase();
        LauncherRun run = LauncherRun.start("torture-it.log", Map.of(), List.of("torture", "--minutes", "1",
                "--rate", "25", "--numbers", "100", "--dir", dir.toString(), "--base-port", Integer.toString(basePort)));
        try {
            assertThat(run.process().waitFor(20, TimeUnit.MINUTES)).as("the run ends by itself").isTrue();
            String output = String.join("\n", run.out());
            assertThat(run.process().exitValue()).as(output + "\n" + String.join("\n", run.errAfterExit())).isZero();
            assertThat(output).contains("LEDGER OK: lost = 0, duplicated = 0, nothing invented, replay identical.")
                    .contains("replay --verify: Identical: 100 numbers");
            for (String phase : List.of("baseline (no fault)", "kill -9 processor-1", "kill -9 gateway-2",
                    "kill -9 broker", "PostgreSQL stop/start", "broker clean restart")) {
                assertThat(row(run, phase)).as(phase + " sent requests").element(1).isNotEqualTo("0");
            }
            // The gateway kill was real: requests to it found no one there, or lost their connection.
            assertThat(Long.parseLong(row(run, "kill -9 gateway-2").get(9))).isPositive();
        } finally {
            run.sigkill();
            run.process().waitFor(30, TimeUnit.SECONDS);
        }
        // Nothing it started is left: no process names its folder, every port is free again.
        DevStack leftovers = new DevStack(dir, 0, 0, 0, 0, 0);
        await().atMost(Duration.ofSeconds(60)).until(() -> leftovers.processes().isEmpty());
        assertThat(new TorturePorts(basePort).all()).allSatisfy(l -> assertThat(DevStack.isFree(l.port())).isTrue());
    }

    /** The cells of a phase's row of the summary table: name, Sent, 200, 202, 4xx, 503, 503+, 5xx*, Timeout, Conn err, ... */
    private static List<String> row(LauncherRun run, String phase) {
        String line = run.out().stream().filter(l -> l.startsWith(phase + " ")).findFirst().orElseThrow(
                () -> new AssertionError("no row for " + phase + " in the summary"));
        List<String> cells = new java.util.ArrayList<>(List.of(phase));
        cells.addAll(List.of(line.substring(phase.length()).trim().split("\\s+")));
        return cells;
    }

    /** A base port whose 22 ports (Kafka +0..5, PostgreSQL +10, registry +11, gateways +20, +21) are free. */
    private static int freeBase() throws IOException {
        Random random = new Random();
        for (int attempt = 0; attempt < 100; attempt++) {
            int base = 30_000 + random.nextInt(10_000);
            if (new TorturePorts(base).all().stream().allMatch(l -> DevStack.isFree(l.port()))) {
                return base;
            }
        }
        throw new IllegalStateException("no free base port for the torture stack");
    }
}
