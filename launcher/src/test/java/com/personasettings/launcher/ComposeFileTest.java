package com.personasettings.launcher;

import com.personasettings.gateway.GatewayConfig;
import com.personasettings.processor.ProcessorConfig;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docker-compose.yml cannot run here (no Docker engine), so this checks that every variable it gives the
 * services is one they read, with the value landing where intended: a misspelt name would leave a default.
 */
class ComposeFileTest {

    private final Map<String, Object> services = services();

    @Test
    void theProcessorReadsEveryVariableComposeGivesIt() {
        Map<String, String> env = environment("processor");
        ProcessorConfig config = ProcessorConfig.from(env);

        assertThat(config.bootstrapServers()).isEqualTo("kafka:9092");
        assertThat(config.schemaRegistryUrl()).isEqualTo("http://schema-registry:8081");
        assertThat(config.databaseUrl()).isEqualTo("jdbc:postgresql://postgres:5432/persona_settings");
        assertThat(config.databaseUser()).isEqualTo(env.get("DATABASE_USER"));
        assertThat(config.databasePassword()).isEqualTo(env.get("DATABASE_PASSWORD"));
        assertThat(config.instanceId()).isEqualTo("processor-1");
        assertThat(config.topicPartitions()).isEqualTo(6);
        assertThat(config.httpPort()).isEqualTo(8090);
        assertThat(healthCheck("processor")).contains("/dev/tcp/localhost/" + config.httpPort(), "GET /health/ready");
        assertThat(healthCheck("gateway")).contains("/dev/tcp/localhost/8080", "GET /health/ready");
        assertThat(env.keySet()).allSatisfy(name -> assertThat(name).isIn(processorVariables()));
    }

    @Test
    void theGatewayReadsEveryVariableComposeGivesIt() {
        Map<String, String> env = environment("gateway");
        GatewayConfig config = GatewayConfig.from(env);

        assertThat(config.bootstrapServers()).isEqualTo("kafka:9092");
        assertThat(config.schemaRegistryUrl()).isEqualTo("http://schema-registry:8081");
        assertThat(config.databaseUrl()).isEqualTo("jdbc:postgresql://postgres:5432/persona_settings");
        assertThat(config.port()).isEqualTo(8080);
        assertThat(config.instanceId()).isEqualTo("gateway-1");
        assertThat(config.replyTimeout()).isEqualTo(Duration.ofSeconds(5));
        List<String> known = new java.util.ArrayList<>(processorVariables()); // shared through the YAML anchor
        known.addAll(List.of("GATEWAY_PORT", "GATEWAY_INSTANCE_ID", "GATEWAY_REPLY_TIMEOUT_MS", "GATEWAY_MAX_BODY_BYTES"));
        assertThat(env.keySet()).allSatisfy(name -> assertThat(name).isIn(known));
    }

    /** The names the README's processor table documents and ProcessorConfig reads. */
    private static List<String> processorVariables() {
        return List.of("KAFKA_BOOTSTRAP_SERVERS", "SCHEMA_REGISTRY_URL", "DATABASE_URL", "DATABASE_USER",
                "DATABASE_PASSWORD", "PROCESSOR_APPLICATION_ID", "PROCESSOR_STATE_DIR", "PROCESSOR_THREADS",
                "PROCESSOR_COMMIT_INTERVAL_MS", "PROCESSOR_DATABASE_RETRY_MS", "PROCESSOR_INSTANCE_ID",
                "REPLY_TOPIC_ALLOWLIST", "TOPIC_PARTITIONS", "TOPIC_REPLICATION_FACTOR", "PROCESSOR_HTTP_PORT");
    }

    @Test
    @SuppressWarnings("unchecked")
    void prometheusScrapesBothServicesWhereTheyListenAndGrafanaGetsTheDashboard() throws IOException {
        try (Reader reader = Files.newBufferedReader(Path.of("..", "ops", "prometheus", "prometheus.yml"))) {
            Map<String, Object> prometheus = new Yaml().load(reader);
            List<String> targets = ((List<Map<String, Object>>) prometheus.get("scrape_configs")).stream()
                    .flatMap(job -> ((List<Map<String, Object>>) job.get("static_configs")).stream())
                    .flatMap(config -> ((List<String>) config.get("targets")).stream()).toList();
            assertThat(targets).containsExactlyInAnyOrder(
                    "gateway:" + environment("gateway").get("GATEWAY_PORT"),
                    "processor:" + environment("processor").get("PROCESSOR_HTTP_PORT"));
        }
        List<String> grafanaVolumes = (List<String>) ((Map<String, Object>) services.get("grafana")).get("volumes");
        assertThat(grafanaVolumes).allSatisfy(volume ->
                assertThat(Path.of("..", volume.substring(0, volume.indexOf(':')))).exists());
        assertThat(Path.of("..", "ops", "grafana", "dashboards", "persona-settings.json")).isRegularFile();
    }

    @SuppressWarnings("unchecked")
    private String healthCheck(String service) {
        Map<String, Object> check = (Map<String, Object>) ((Map<String, Object>) services.get(service)).get("healthcheck");
        return String.join(" ", (List<String>) check.get("test"));
    }

    @SuppressWarnings("unchecked")
    private Map<String, String> environment(String service) {
        Map<String, Object> environment = (Map<String, Object>) ((Map<String, Object>) services.get(service)).get("environment");
        Map<String, String> strings = new HashMap<>();
        environment.forEach((name, value) -> strings.put(name, String.valueOf(value)));
        return strings;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> services() {
        try (Reader reader = Files.newBufferedReader(Path.of("..", "docker-compose.yml"))) {
            Map<String, Object> compose = new Yaml().load(reader);
            return (Map<String, Object>) compose.get("services");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
