package com.personasettings.devlauncher;

import com.personasettings.processor.ProcessorApp;
import com.personasettings.processor.ProcessorConfig;
import com.personasettings.testkit.KafkaBroker;
import com.personasettings.devstack.Postgres;
import com.personasettings.testkit.SharedInfrastructure;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code ./persona-settings admin ...} exactly as an operator runs it, against a running processor. */
class AdminCliIT {

    private static KafkaBroker kafka;
    private static ProcessorApp processor;
    private static Map<String, String> environment;
    private static String database;

    @BeforeAll
    static void start() {
        Path dir = SharedInfrastructure.workDir().resolve("admin-cli-it");
        kafka = KafkaBroker.start(dir.resolve("kafka"));
        database = SharedInfrastructure.postgres().createDatabase("admin_cli_it");
        environment = Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                "SCHEMA_REGISTRY_URL", SharedInfrastructure.registry().url(),
                "DATABASE_URL", database,
                "PROCESSOR_HTTP_PORT", "0", "PROCESSOR_STATE_DIR", dir.resolve("state").toString());
        processor = ProcessorApp.start(ProcessorConfig.from(environment));
        await().atMost(Duration.ofSeconds(60)).until(() -> processor.streams().state() == KafkaStreams.State.RUNNING);
    }

    @AfterAll
    static void stop() throws Exception {
        processor.close();
        kafka.close();
    }

    @Test
    void anOperatorCreatesAnOrgAndAKeyAndProvisionsAndReleasesNumbers() throws Exception {
        String org = lastLine(run("admin", "create-org", "Acme"));
        assertThat(org).matches("[0-9a-f-]{36}");
        String key = lastLine(run("admin", "create-key", org));
        assertThat(key).startsWith("ps_");

        List<String> provisioned = run("admin", "provision", org, "+14155550100", "+14155550101");
        assertThat(provisioned).as("a line per number once the processor accepted it, the last one the result")
                .anyMatch(line -> line.matches("\\+14155550100 [0-9a-f-]{36}"))
                .last().asString().matches("\\+14155550101 [0-9a-f-]{36}");
        // the outcome came back through the client, so the rows are committed already
        assertThat(numbersOf(org)).isEqualTo(2);

        Result again = runWithStatus("admin", "provision", org, "+14155550101");
        assertThat(again.status()).as("a number provisioned already is refused by the processor: exit 1").isEqualTo(1);
        assertThat(again.output()).doesNotContain("+14155550101");

        assertThat(lastLine(run("admin", "release", "+14155550100"))).matches("\\+14155550100 [0-9a-f-]{36}");
        assertThat(numbersOf(org)).isEqualTo(1);
    }

    @Test
    void anOperatorListsAndRevokesKeysByIdAndNeverSeesThemAgain() throws Exception {
        String org = lastLine(run("admin", "create-org", "Keys"));
        List<String> created = run("admin", "create-key", org, "--label", "billing service", "--expires-in-days", "30");
        String key = lastLine(created);
        String keyId = created.get(created.size() - 2).replaceAll("^key id ([0-9a-f-]{36}).*$", "$1");
        assertThat(key).startsWith("ps_");
        assertThat(keyId).matches("[0-9a-f-]{36}");
        lastLine(run("admin", "create-key", org));

        List<String> listed = run("admin", "list-keys", org);
        assertThat(listed).hasSize(2);
        assertThat(listed.get(0)).startsWith(keyId + "\tactive\tcreated ").contains("expires ").endsWith("billing service");
        assertThat(String.join("\n", listed)).doesNotContain(key);

        assertThat(lastLine(run("admin", "revoke-key", keyId))).isEqualTo("revoked " + keyId);
        assertThat(run("admin", "list-keys", org).get(0)).startsWith(keyId + "\trevoked ");
        Result again = runWithStatus("admin", "revoke-key", keyId);
        assertThat(again.status()).as("a key revoked already is the operator's mistake, said in one line").isEqualTo(1);
    }

    @Test
    void replayRebuildsTheTablesInAFreshDatabaseAndVerifyFindsEveryDifference() throws Exception {
        String org = lastLine(run("admin", "create-org", "Replayed"));
        run("admin", "provision", org, "+14155550200", "+14155550201");
        await().atMost(Duration.ofSeconds(30)).until(() -> numbersOf(org) == 2);

        Result same = runWithStatus("replay", "--verify");
        assertThat(same.status()).as(same.output()).isZero();
        assertThat(same.output()).containsPattern("into jdbc:postgresql://localhost:\\d+/admin_cli_it_replay_\\d{8}_\\d{6}_\\d{3}")
                .contains("Identical: ");

        try (var connection = DriverManager.getConnection(database, Postgres.USER, "");
             var statement = connection.createStatement()) {
            statement.executeUpdate("update inbound_numbers set label = 'edited by hand' where phone_number = '+14155550201'");
        }
        Result different = runWithStatus("replay", "--verify");
        assertThat(different.status()).as(different.output()).isEqualTo(1);
        assertThat(different.output()).contains("DIFFERENT inbound_numbers +14155550201: label is edited by hand in live,")
                .contains("1 differences");

        long replayDatabases = replayDatabases();
        Result wrong = runWithStatus("replay", "--from-offsets", "0:0");
        assertThat(wrong.status()).isEqualTo(2);
        assertThat(replayDatabases()).as("no database is created for a start the topic does not have")
                .isEqualTo(replayDatabases);
    }

    private record Result(int status, String output) {
    }

    private static List<String> run(String... args) throws IOException, InterruptedException {
        Result result = runWithStatus(args);
        assertThat(result.status()).as(result.output()).isZero();
        return result.output().lines().toList();
    }

    private static Result runWithStatus(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("bash", "persona-settings"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(Path.of("..").toAbsolutePath().normalize().toFile());
        builder.environment().putAll(environment);
        builder.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), out);
    }

    private static String lastLine(List<String> lines) {
        return lines.get(lines.size() - 1);
    }

    private static long replayDatabases() throws SQLException {
        try (var connection = DriverManager.getConnection(database, Postgres.USER, "");
             var statement = connection.createStatement();
             var rows = statement.executeQuery("select count(*) from pg_database where datname like 'admin_cli_it_replay_%'")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static long numbersOf(String org) throws SQLException {
        try (var connection = DriverManager.getConnection(database, Postgres.USER, "");
             var statement = connection.prepareStatement("select count(*) from inbound_numbers where org_id = ?")) {
            statement.setObject(1, java.util.UUID.fromString(org)); // org_id is a uuid column
            try (var rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }
}
