package com.personasettings.devlauncher;

import com.personasettings.gateway.admin.Operator;
import com.personasettings.gateway.db.GatewayDatabase;
import com.personasettings.client.PersonaClient;
import com.personasettings.devstack.SchemaRegistryServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.TransactionState;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dev stack's processes stop when asked and never outlive it: SIGKILL of the launcher leaves no child
 * and no busy port, a second start on the same ports says which ports in one line and harms nothing of the
 * first, and SIGTERM stops the stack within the README's bound even while the processor's stream thread is
 * stuck in a commit.
 */
class DevStackProcessesIT {

    /** The README's promise for Ctrl-C and SIGTERM. */
    private static final Duration STOP_BOUND = Duration.ofSeconds(10);
    private static final Duration START = Duration.ofMinutes(2);

    private final HttpClient http = HttpClient.newHttpClient();

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

    @Test
    void aSecondStartOnTheSamePortsNamesThemInOneLineAndLeavesTheFirstRunning() throws Exception {
        DevStack stack = DevStack.onFreePorts(Path.of("target", "dev-twice-it"));
        try {
            LauncherRun first = stack.start("--fresh");
            first.awaitOutput("ready", START);

            // Same ports, same data directory, and even --fresh: nothing of the running stack may be touched.
            LauncherRun second = stack.start("--fresh");
            assertThat(second.process().waitFor(20, TimeUnit.SECONDS)).as("the second start gave up").isTrue();
            assertThat(second.process().exitValue()).isNotZero();
            assertThat(second.errAfterExit()).as("stderr").hasSize(1);
            String line = second.err().get(0);
            assertThat(line).contains("already in use: is another dev stack running?",
                    stack.kafkaPort() + " (Kafka)", (stack.kafkaPort() + 1) + " (Kafka controller)",
                    stack.registryPort() + " (schema registry)", stack.postgresPort() + " (PostgreSQL)",
                    stack.httpPort() + " (HTTP)", stack.processorPort() + " (processor HTTP)", "--kafka-port",
                    "--registry-port", "--postgres-port", "--port", "--processor-port");

            assertThat(first.process().isAlive()).isTrue();
            assertThat(Files.exists(stack.dataDir().resolve("postgres").resolve("data").resolve("PG_VERSION"))).isTrue();
            assertThat(health(stack.httpPort())).isEqualTo(200);
            try (Connection connection = DriverManager.getConnection(stack.jdbcUrl(), "postgres", "");
                 Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("select count(*) from command_outcomes")) {
                assertThat(rows.next()).isTrue();
            }

            Duration stopped = stop(first);
            System.out.println("SIGTERM stopped the dev stack in " + stopped.toMillis() + " ms");
            assertThat(stopped).isLessThan(STOP_BOUND);
            awaitNothingLeft(stack);
        } finally {
            stack.killLeftovers();
        }
    }

    @Test
    void sigtermStopsTheStackWithinTheBoundWhileTheStreamThreadRetriesAPostgresThatIsDown() throws Exception {
        DevStack stack = DevStack.onFreePorts(Path.of("target", "dev-stuck-it"));
        try {
            LauncherRun dev = stack.start("--fresh");
            dev.awaitOutput("ready", START);

            // PostgreSQL goes away (fast shutdown, as in an outage): the next commit retries it for
            // PROCESSOR_DATABASE_RETRY_MS (20 s), and the stream thread does nothing else meanwhile.
            ProcessHandle postmaster = stack.postmaster();
            new ProcessBuilder("kill", "-INT", Long.toString(postmaster.pid())).inheritIO().start().waitFor();
            await().atMost(Duration.ofSeconds(30)).until(() -> !postmaster.isAlive());
            String kafka = "localhost:" + stack.kafkaPort();
            try (PersonaClient client = Operator.client(kafka, "http://"
                    + SchemaRegistryServer.HOST + ":" + stack.registryPort() + SchemaRegistryServer.CCOMPAT_PATH)) {
                // Straight to Kafka (the gateway needs PostgreSQL too); with an explicit id the operator only publishes.
                new Operator(new GatewayDatabase(new PGSimpleDataSource()), client)
                        .provision(UUID.randomUUID(), "+14155550199", null, 7L).written().join();
            }
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka))) {
                // The commit interval is 20 ms: a transaction open for 2 s is one whose commit is stuck.
                await().atMost(Duration.ofSeconds(30)).until(() -> !admin.listTransactions(new ListTransactionsOptions()
                        .filterStates(List.of(TransactionState.ONGOING)).filterOnDuration(2_000)).all().get().isEmpty());
            }

            Duration stopped = stop(dev);
            System.out.println("SIGTERM stopped the dev stack with a stuck stream thread in " + stopped.toMillis() + " ms");
            assertThat(stopped).isLessThan(STOP_BOUND);
            // and it was stuck: the shutdown left the processor behind and went on to stop the rest
            assertThat(dev.errAfterExit()).anyMatch(line -> line.startsWith("Stopping: ProcessorApp did not stop within"));
            awaitNothingLeft(stack);
        } finally {
            stack.killLeftovers();
        }
    }

    /** SIGTERM; how long until the launcher has exited. */
    private static Duration stop(LauncherRun run) throws InterruptedException {
        long sent = System.nanoTime();
        run.sigterm();
        assertThat(run.process().waitFor(60, TimeUnit.SECONDS)).as("stopped at all").isTrue();
        return DevStack.since(sent);
    }

    private static void awaitNothingLeft(DevStack stack) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(stack.processes()).as("processes of the stopped stack").isEmpty();
            assertThat(stack.busyPorts()).as("ports still held").isEmpty();
        });
    }

    private int health(int port) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/health")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
