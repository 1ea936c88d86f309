package com.personasettings.devlauncher;

import com.personasettings.devstack.FileTrees;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A start that finds its port taken names it in one line on stderr, before it starts or deletes anything. */
class PortInUseIT {

    @Test
    void devNamesTheTakenPortAndTheOptionThatMovesIt() throws Exception {
        DevStack stack = DevStack.onFreePorts(Path.of("target", "port-in-use-it"));
        FileTrees.delete(stack.dataDir());
        try (ServerSocket taken = listenOn(stack.postgresPort())) {
            LauncherRun dev = stack.start();

            assertThat(dev.process().waitFor(30, TimeUnit.SECONDS)).as("dev gave up").isTrue();
            assertThat(dev.process().exitValue()).isNotZero();
            assertThat(oneLine(dev)).isEqualTo("Port " + stack.postgresPort() + " (PostgreSQL) is already in use: "
                    + "is another dev stack running? Stop it or pass --postgres-port.");
            assertThat(Files.exists(stack.dataDir())).as("nothing created").isFalse();
            assertThat(stack.processes()).isEmpty();
        } finally {
            stack.killLeftovers();
        }
    }

    @Test
    void gatewayNamesTheTakenPortAndTheVariableThatMovesIt() throws Exception {
        int port = DevStack.freePort();
        try (ServerSocket taken = listenOn(port)) {
            // Nothing else the gateway needs is there: the port is checked before anything is contacted.
            LauncherRun gateway = LauncherRun.start("port-in-use-gateway.log", Map.of("GATEWAY_PORT", Integer.toString(port),
                    "KAFKA_BOOTSTRAP_SERVERS", "localhost:1", "DATABASE_URL", "jdbc:postgresql://localhost:1/none",
                    "SCHEMA_REGISTRY_URL", "http://localhost:1"), List.of("gateway"));

            assertThat(gateway.process().waitFor(30, TimeUnit.SECONDS)).as("gateway gave up").isTrue();
            assertThat(gateway.process().exitValue()).isNotZero();
            assertThat(oneLine(gateway)).isEqualTo("Port " + port + " (HTTP) is already in use: "
                    + "stop what holds it or set GATEWAY_PORT.");
        }
    }

    private static String oneLine(LauncherRun run) throws Exception {
        assertThat(run.errAfterExit()).as("stderr").hasSize(1);
        return run.err().get(0);
    }

    /** Listens on the wildcard address, as another server holding the port would. */
    private static ServerSocket listenOn(int port) throws Exception {
        ServerSocket socket = new ServerSocket();
        socket.bind(new InetSocketAddress(port));
        return socket;
    }
}
