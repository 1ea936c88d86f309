package com.personasettings.launcher;

import com.personasettings.gateway.GatewayConfig;
import com.personasettings.platform.KafkaClientSettings;
import com.personasettings.processor.ProcessorConfig;
import org.apache.kafka.common.config.types.Password;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docker-compose.yml cannot run here (no Docker engine), so this checks that every variable it gives the
 * services is one they read, with the value landing where intended: a misspelt name would leave a default.
 * The Kafka secrets and the operator signing key are the files deploy/make-secrets.sh writes (run here into a temporary folder), mounted where
 * the services' *_FILE variables look for them.
 */
class ComposeFileTest {

    private static final String SECRETS = "/run/secrets/";

    @TempDir
    static Path secrets;

    private final Map<String, Object> compose = compose();

    @BeforeAll
    static void makeSecrets() throws Exception {
        Process script = new ProcessBuilder("sh", "deploy/make-secrets.sh", secrets.toString())
                .directory(Path.of("..").toFile()).redirectErrorStream(true).start();
        assertThat(script.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(script.exitValue()).as(new String(script.getInputStream().readAllBytes())).isZero();
    }

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
        // The signing key make-secrets.sh writes: provisioning and releasing count only from the operator topic.
        assertThat(config.operatorSignature().required()).isTrue();
        assertThat(healthCheck("processor")).contains("/dev/tcp/localhost/" + config.httpPort(), "GET /health/ready");
        assertThat(healthCheck("gateway")).contains("/dev/tcp/localhost/8080", "GET /health/ready");
        assertLogsInAs(config.kafkaSecurity(), "processor");
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
        // The gateway principal may only create and read reply topics starting with persona.inbound.replies.gateway.
        assertThat(config.instanceId()).isEqualTo("gateway-1");
        assertThat(config.replyTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertLogsInAs(config.kafkaSecurity(), "gateway");
        List<String> known = new java.util.ArrayList<>(processorVariables()); // shared through the YAML anchor
        known.addAll(List.of("GATEWAY_PORT", "GATEWAY_INSTANCE_ID", "GATEWAY_REPLY_TIMEOUT_MS", "GATEWAY_MAX_BODY_BYTES"));
        assertThat(env.keySet()).allSatisfy(name -> assertThat(name).isIn(known));
    }

    @Test
    void theAdminCliLogsInAsTheOperator() {
        Map<String, String> env = environment("admin");
        GatewayConfig config = GatewayConfig.from(env);

        assertThat(config.bootstrapServers()).isEqualTo("kafka:9092");
        assertLogsInAs(config.kafkaSecurity(), "operator");
        assertThat(env.keySet()).allSatisfy(name -> assertThat(name).isIn(processorVariables()));
    }

    @Test
    @SuppressWarnings("unchecked")
    void everySecretIsAFileMakeSecretsWritesAndKafkaInitGetsEveryKafkaSecret() {
        Map<String, Object> declared = (Map<String, Object>) compose.get("secrets");
        declared.forEach((name, secret) -> {
            String file = (String) ((Map<String, Object>) secret).get("file");
            assertThat(file).startsWith("./secrets/");
            assertThat(secrets.resolve(file.substring("./secrets/".length()))).as(name).isRegularFile();
        });
        assertThat((List<String>) service("kafka-init").get("secrets")).containsExactlyInAnyOrderElementsOf(
                declared.keySet().stream().filter(name -> name.startsWith("kafka_")).toList());
        assertThat((List<String>) service("processor").get("secrets")).contains("processor_operator_key");
        assertThat((List<String>) service("kafka").get("secrets")).containsExactly("kafka_admin_password");
    }

    private static void assertLogsInAs(KafkaClientSettings settings, String user) {
        Map<String, Object> properties = settings.properties();
        assertThat(properties).containsEntry("security.protocol", "SASL_PLAINTEXT")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512");
        assertThat(((Password) properties.get("sasl.jaas.config")).value())
                .startsWith("org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user + "\" ");
    }

    /** The names the README's tables document and the configs read. */
    private static List<String> processorVariables() {
        return List.of("KAFKA_BOOTSTRAP_SERVERS", "KAFKA_SECURITY_PROTOCOL", "KAFKA_SASL_MECHANISM",
                "KAFKA_SASL_JAAS_CONFIG_FILE", "SCHEMA_REGISTRY_URL", "DATABASE_URL", "DATABASE_USER",
                "DATABASE_PASSWORD", "PROCESSOR_APPLICATION_ID", "PROCESSOR_STATE_DIR", "PROCESSOR_THREADS",
                "PROCESSOR_COMMIT_INTERVAL_MS", "PROCESSOR_DATABASE_RETRY_MS", "PROCESSOR_INSTANCE_ID",
                "REPLY_TOPIC_ALLOWLIST", "TOPIC_PARTITIONS", "TOPIC_REPLICATION_FACTOR", "PROCESSOR_HTTP_PORT",
                "PROCESSOR_OPERATOR_KEY_FILE");
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
        List<String> grafanaVolumes = (List<String>) service("grafana").get("volumes");
        assertThat(grafanaVolumes).allSatisfy(volume ->
                assertThat(Path.of("..", volume.substring(0, volume.indexOf(':')))).exists());
        assertThat(Path.of("..", "ops", "grafana", "dashboards", "persona-settings.json")).isRegularFile();
    }

    @SuppressWarnings("unchecked")
    private String healthCheck(String service) {
        Map<String, Object> check = (Map<String, Object>) service(service).get("healthcheck");
        return String.join(" ", (List<String>) check.get("test"));
    }

    /**
     * The service's variables, with each {@code *_FILE} under /run/secrets/ pointed at the file make-secrets.sh wrote
     * for that secret, which must be one the service mounts.
     */
    @SuppressWarnings("unchecked")
    private Map<String, String> environment(String service) {
        Map<String, Object> environment = (Map<String, Object>) service(service).get("environment");
        List<String> mounted = (List<String>) service(service).get("secrets");
        Map<String, Object> declared = (Map<String, Object>) compose.get("secrets");
        Map<String, String> strings = new HashMap<>();
        environment.forEach((name, value) -> {
            String text = String.valueOf(value);
            if (name.endsWith("_FILE") && text.startsWith(SECRETS)) {
                String secret = text.substring(SECRETS.length());
                assertThat(mounted).as(service + " mounts " + secret).contains(secret);
                String file = (String) ((Map<String, Object>) declared.get(secret)).get("file");
                text = secrets.resolve(file.substring("./secrets/".length())).toString();
            }
            strings.put(name, text);
        });
        return strings;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> service(String name) {
        return (Map<String, Object>) ((Map<String, Object>) compose.get("services")).get(name);
    }

    private static Map<String, Object> compose() {
        try (Reader reader = Files.newBufferedReader(Path.of("..", "docker-compose.yml"))) {
            return new Yaml().load(reader);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
