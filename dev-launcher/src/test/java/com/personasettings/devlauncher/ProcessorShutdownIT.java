package com.personasettings.devlauncher;

import com.personasettings.gateway.admin.Operator;
import com.personasettings.gateway.db.GatewayDatabase;
import com.personasettings.client.PersonaClient;
import com.personasettings.testkit.KafkaBroker;
import com.personasettings.devstack.Postgres;
import com.personasettings.testkit.SharedInfrastructure;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.nio.file.Path;
import java.sql.Connection;
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
 * {@code ./persona-settings processor} stops within the README's bound on SIGTERM even while its stream
 * thread is blocked in a commit on a table another session holds locked (the statement would wait for its
 * 15 s statement timeout, and Kafka Streams' close waits for the thread).
 */
class ProcessorShutdownIT {

    private static final Duration STOP_BOUND = Duration.ofSeconds(10);

    @Test
    void sigtermStopsTheProcessorWithinTheBoundWhileItsCommitWaitsForALock() throws Exception {
        Path dir = SharedInfrastructure.workDir().resolve("processor-shutdown-it");
        try (KafkaBroker kafka = KafkaBroker.start(dir.resolve("kafka"))) {
            String database = SharedInfrastructure.postgres().createDatabase("processor_shutdown_it");
            LauncherRun processor = LauncherRun.start("processor-shutdown-it.log", Map.of(
                    "KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                    "SCHEMA_REGISTRY_URL", SharedInfrastructure.registry().url(),
                    "DATABASE_URL", database,
                    "PROCESSOR_HTTP_PORT", "0", "PROCESSOR_STATE_DIR", dir.resolve("state").toString()), List.of("processor"));
            try {
                try (Admin admin = kafka.admin()) {
                    await().atMost(Duration.ofSeconds(90)).ignoreExceptions()
                            .failFast("the processor exited", () -> !processor.process().isAlive())
                            .until(() -> admin.describeConsumerGroups(List.of("persona-settings-processor")).all().get()
                                    .get("persona-settings-processor").members().stream()
                                    .anyMatch(m -> !m.assignment().topicPartitions().isEmpty()));
                }
                PGSimpleDataSource dataSource = new PGSimpleDataSource();
                dataSource.setUrl(database);
                dataSource.setUser(Postgres.USER);
                try (Connection lock = dataSource.getConnection()) {
                    lock.setAutoCommit(false);
                    try (Statement statement = lock.createStatement()) {
                        statement.execute("lock table command_outcomes in access exclusive mode");
                    }
                    try (PersonaClient client = Operator.client(kafka.bootstrapServers(),
                            SharedInfrastructure.registry().url())) {
                        // With an explicit id the operator only publishes: the command's outcome row needs the lock.
                        new Operator(new GatewayDatabase(dataSource), client)
                                .provision(UUID.randomUUID(), "+14155550199", null, 7L).written().join();
                    }
                    await().atMost(Duration.ofSeconds(30)).until(() -> waitingForALock(lock));

                    long sent = System.nanoTime();
                    processor.sigterm();
                    assertThat(processor.process().waitFor(60, TimeUnit.SECONDS)).as("stopped at all").isTrue();
                    Duration stopped = DevStack.since(sent);
                    System.out.println("SIGTERM stopped the processor blocked on a lock in " + stopped.toMillis() + " ms");
                    assertThat(stopped).isLessThan(STOP_BOUND);
                    assertThat(processor.errAfterExit()).as("the shutdown gave up on the stuck close")
                            .anyMatch(line -> line.startsWith("Stopping: "));
                }
            } finally {
                processor.sigkill();
            }
        }
    }

    private static boolean waitingForALock(Connection connection) throws Exception {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("select count(*) from pg_locks where not granted"
                     + " and database = (select oid from pg_database where datname = current_database())"
                     + " and relation = 'command_outcomes'::regclass")) {
            rows.next();
            return rows.getLong(1) > 0;
        }
    }
}
