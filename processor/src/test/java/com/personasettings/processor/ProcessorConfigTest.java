package com.personasettings.processor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProcessorConfigTest {

    @Test
    void defaultsNeedNoEnvironmentAtAll() {
        ProcessorConfig config = ProcessorConfig.from(Map.of());

        assertThat(config.bootstrapServers()).isEqualTo("localhost:9092");
        assertThat(config.commitInterval()).isEqualTo(Duration.ofMillis(20));
        assertThat(config.replyTopicAllowlist()).isEqualTo("persona.inbound.replies*");
        assertThat(config.topicReplicationFactor()).isEqualTo((short) -1);
        assertThat(config.instanceId()).isNull();
        assertThat(config.dedupWindow()).isEqualTo(Duration.ofHours(24));
    }

    @Test
    void aDedupWindowShorterThanTenCommitIntervalsIsRefused() {
        assertThatThrownBy(() -> ProcessorConfig.from(Map.of("PROCESSOR_COMMIT_INTERVAL_MS", "500",
                "PROCESSOR_DEDUP_WINDOW_MS", "4000")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("PROCESSOR_DEDUP_WINDOW_MS must be at least 5000 (1 s, and 10 commit intervals)");
        assertThat(ProcessorConfig.from(Map.of("PROCESSOR_DEDUP_WINDOW_MS", "1000")).dedupWindow())
                .isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aPropertiesFileSetsValuesAndTheEnvironmentWinsOverIt(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("processor.properties");
        Files.writeString(file, """
                KAFKA_BOOTSTRAP_SERVERS=kafka-from-file:9092
                PROCESSOR_COMMIT_INTERVAL_MS=250
                PROCESSOR_INSTANCE_ID=from-file
                """);

        ProcessorConfig config = ProcessorConfig.from(Map.of(
                ProcessorConfig.CONFIG_FILE, file.toString(),
                "PROCESSOR_INSTANCE_ID", "from-env"));

        assertThat(config.bootstrapServers()).isEqualTo("kafka-from-file:9092");
        assertThat(config.commitInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(config.instanceId()).isEqualTo("from-env");
    }

    @Test
    void streamsRunExactlyOnceWithATransactionTimeoutAboveTheDatabaseRetryBudget() {
        var properties = ProcessorApp.streamsProperties(ProcessorConfig.from(Map.of(
                "PROCESSOR_DATABASE_RETRY_MS", "45000", "PROCESSOR_INSTANCE_ID", "p-1")));

        assertThat(properties.get("processing.guarantee")).isEqualTo("exactly_once_v2");
        assertThat((Integer) properties.get("producer.transaction.timeout.ms")).isGreaterThan(45_000);
        assertThat(properties.get("consumer.group.instance.id")).isEqualTo("p-1");
    }

    @Test
    void theKafkaSecuritySettingsReachStreamsAndEveryOtherClientUnchanged() {
        ProcessorConfig config = ProcessorConfig.from(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", "kafka:9092",
                "KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT",
                "KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
                "KAFKA_SASL_JAAS_CONFIG", "org.apache.kafka.common.security.scram.ScramLoginModule required "
                        + "username=\"processor\" password=\"pw\";"));

        var properties = ProcessorApp.streamsProperties(config);
        assertThat(properties.get("security.protocol")).isEqualTo("SASL_PLAINTEXT");
        assertThat(properties.get("sasl.mechanism")).isEqualTo("SCRAM-SHA-512");
        assertThat(properties.get("sasl.jaas.config").toString()).isEqualTo("[hidden]");
        assertThat(config.kafkaClient()).containsEntry("bootstrap.servers", "kafka:9092")
                .containsEntry("security.protocol", "SASL_PLAINTEXT").containsKey("sasl.jaas.config");
        assertThat(ProcessorConfig.from(Map.of()).kafkaClient()).isEqualTo(Map.of("bootstrap.servers", "localhost:9092"));
    }
}
