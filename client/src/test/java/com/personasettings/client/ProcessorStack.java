package com.personasettings.client;

import com.personasettings.devstack.Postgres;
import com.personasettings.processor.ProcessorApp;
import com.personasettings.processor.ProcessorConfig;
import com.personasettings.testkit.SharedInfrastructure;
import org.apache.kafka.streams.KafkaStreams;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;

import static org.awaitility.Awaitility.await;

/**
 * A running processor on the test JVM's shared broker, registry and PostgreSQL, started on first use and stopped when
 * the JVM exits: what a client talks to. The tests that need no processor use a broker of their own.
 */
final class ProcessorStack {

    private static ProcessorStack stack;

    final String bootstrapServers;
    final String registryUrl;
    final String databaseUrl;
    private final ProcessorApp processor;

    private ProcessorStack() {
        bootstrapServers = SharedInfrastructure.kafka().bootstrapServers();
        registryUrl = SharedInfrastructure.registry().url();
        databaseUrl = SharedInfrastructure.postgres().createDatabase("client_it");
        processor = ProcessorApp.start(ProcessorConfig.from(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", bootstrapServers,
                "SCHEMA_REGISTRY_URL", registryUrl,
                "DATABASE_URL", databaseUrl,
                "PROCESSOR_STATE_DIR", SharedInfrastructure.workDir().resolve("processor-state").toString(),
                "TOPIC_PARTITIONS", "3")));
        await().atMost(Duration.ofSeconds(60)).until(() -> processor.streams().state() == KafkaStreams.State.RUNNING);
    }

    static synchronized ProcessorStack get() {
        if (stack == null) {
            stack = new ProcessorStack();
            Runtime.getRuntime().addShutdownHook(new Thread(stack.processor::close));
        }
        return stack;
    }

    PersonaClient.Builder client(String serviceName) {
        return PersonaClient.builder()
                .bootstrapServers(bootstrapServers)
                .schemaRegistryUrl(registryUrl)
                .serviceName(serviceName);
    }

    /** A column of the number's row in the processor's table, as text; null when there is no row. */
    String column(String phoneNumber, String column) throws SQLException {
        try (Connection connection = DriverManager.getConnection(databaseUrl, Postgres.USER, "");
             PreparedStatement statement = connection.prepareStatement(
                     "select " + column + "::text from inbound_numbers where phone_number = ?")) {
            statement.setString(1, phoneNumber);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? rows.getString(1) : null;
            }
        }
    }
}
