package com.personasettings.launcher;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dev stack's processes never outlive it: SIGKILL of the launcher leaves no child and no busy port.
 */
class DevStackProcessesIT {

    private static final Duration START = Duration.ofMinutes(2);

    @Test
    void aLauncherKilledWithSigkillLeavesNoChildProcessAndNoBusyPort() throws Exception {
        DevStack stack = DevStack.onFreePorts(Path.of("target", "dev-sigkill-it"));
        try {
            LauncherRun dev = stack.start("--fresh");
            dev.awaitOutput("ready", START);
            // broker, registry and PostgreSQL are running (the test would prove nothing if it could not see them)
            List<String> running = stack.processes().stream().map(DevStack::commandLine).toList();
            assertThat(running).anyMatch(c -> c.contains("kafka.Kafka"))
                    .anyMatch(c -> c.contains(stack.dataDir().resolve("registry").toString()))
                    .anyMatch(c -> c.contains("bin/postgres -D " + stack.dataDir().resolve("postgres")));
            assertThat(stack.busyPorts()).containsExactlyInAnyOrderElementsOf(stack.ports());

            long killed = System.nanoTime();
            dev.sigkill();
            assertThat(dev.process().waitFor(10, TimeUnit.SECONDS)).isTrue();
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> {
                        assertThat(stack.processes()).as("processes of the killed stack").isEmpty();
                        assertThat(stack.busyPorts()).as("ports still held").isEmpty();
                    });
            System.out.println("After SIGKILL of the launcher, its children were gone and its ports free in "
                    + DevStack.since(killed).toMillis() + " ms");
        } finally {
            stack.killLeftovers();
        }
    }
}
