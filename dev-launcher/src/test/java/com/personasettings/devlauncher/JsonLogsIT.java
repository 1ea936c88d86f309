package com.personasettings.devlauncher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.personasettings.gateway.kafka.CommandPublisher;
import com.personasettings.schemas.InboundCommand;
import com.personasettings.schemas.ProvisionNumber;
import com.personasettings.schemas.registry.SchemaRegistryClient;
import com.personasettings.testkit.KafkaBroker;
import com.personasettings.testkit.SharedInfrastructure;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code LOG_FORMAT=json}: one JSON object per line, naming the command a line is about. */
class JsonLogsIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyLineIsAJsonObjectAndALineAboutACommandNamesIt() throws Exception {
        Path dir = SharedInfrastructure.workDir().resolve("json-logs-it");
        try (KafkaBroker kafka = KafkaBroker.start(dir.resolve("kafka"))) {
            String database = SharedInfrastructure.postgres().createDatabase("json_logs_it");
            LauncherRun processor = LauncherRun.start("json-logs-processor.log", Map.of(
                    "LOG_FORMAT", "json",
                    "KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                    "SCHEMA_REGISTRY_URL", SharedInfrastructure.registry().url(),
                    "DATABASE_URL", database,
                    "PROCESSOR_STATE_DIR", dir.resolve("state").toString(),
                    "PROCESSOR_HTTP_PORT", "0",
                    "TOPIC_PARTITIONS", "2"), List.of("processor"));
            UUID org = UUID.randomUUID();
            java.util.concurrent.atomic.AtomicReference<InboundCommand> sent = new java.util.concurrent.atomic.AtomicReference<>();
            try {
                await().atMost(Duration.ofSeconds(90)).failFast("the processor exited: " + processor.err(),
                                () -> !processor.process().isAlive())
                        .until(() -> processor.err().stream().anyMatch(line -> line.contains("started against")));

                // A command whose reply-to is not allowed: the processor says so in a line about that command.
                InboundCommand command = InboundCommand.newBuilder()
                        .setCommandId(UUID.randomUUID())
                        .setOrgId(org.toString())
                        .setIssuedAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
                        .setActor("json-logs-it")
                        .setPhoneNumber("+14155550177")
                        .setPayload(ProvisionNumber.newBuilder().setNumberId(7L).setLabel(null).build())
                        .build();
                try (CommandPublisher publisher = new CommandPublisher(kafka.bootstrapServers(),
                        new SchemaRegistryClient(SharedInfrastructure.registry().url()), "not.allowed.replies")) {
                    publisher.publish(command).join();
                }
                sent.set(command);
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> processor.err().stream().anyMatch(line -> line.contains("Ignoring reply-to")));
            } finally {
                processor.sigterm();
                assertThat(processor.process().waitFor(45, TimeUnit.SECONDS)).isTrue();
            }

            List<JsonNode> lines = new ArrayList<>();
            for (String line : processor.errAfterExit()) {
                JsonNode json = JSON.readTree(line);
                assertThat(json.isObject()).as("a JSON object per line: %s", line).isTrue();
                lines.add(json);
            }
            JsonNode ignored = lines.stream().filter(l -> l.path("formattedMessage").asText().contains("Ignoring reply-to"))
                    .findFirst().orElseThrow();
            assertThat(ignored.path("level").asText()).isEqualTo("WARN");
            assertThat(ignored.path("formattedMessage").asText()).contains("not.allowed.replies");
            assertThat(ignored.has("arguments")).as("the message as it reads, once").isFalse();
            assertThat(ignored.path("mdc").path("phone_number").asText()).isEqualTo("+14155550177");
            assertThat(ignored.path("mdc").path("command_id").asText()).isEqualTo(sent.get().getCommandId().toString());
            assertThat(ignored.path("mdc").path("org_id").asText()).isEqualTo(org.toString());
            assertThat(lines.stream().filter(l -> l.path("formattedMessage").asText().contains("started against")))
                    .as("a line about no command has no command fields").singleElement()
                    .satisfies(line -> assertThat(line.path("mdc").path("command_id").isMissingNode()).isTrue());
        }
    }

    @Test
    void aLogFormatThatIsNeitherIsRefusedInOneLine() throws Exception {
        LauncherRun run = LauncherRun.start("json-logs-refused.log", Map.of("LOG_FORMAT", "yaml"),
                List.of("processor"));
        assertThat(run.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(run.process().exitValue()).isEqualTo(1);
        assertThat(run.errAfterExit()).containsExactly("LOG_FORMAT=yaml is not valid: expected text or json");
    }
}
