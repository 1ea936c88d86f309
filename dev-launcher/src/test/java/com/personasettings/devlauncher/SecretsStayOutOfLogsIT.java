package com.personasettings.devlauncher;

import com.personasettings.testkit.KafkaBroker;
import com.personasettings.testkit.SharedInfrastructure;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A run of the processor, the gateway and the admin CLI as an operator starts them, with secrets in every place a
 * secret goes — the database password in a file and in the JDBC URL, API keys valid, made up and sent the wrong way
 * — and then every line the processes wrote, searched for them. Only the admin command that creates a key prints
 * it: once, as its result, on the last line of its standard output.
 */
class SecretsStayOutOfLogsIT {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void noKeyOrPasswordAppearsInAnyLineTheServicesWrite() throws Exception {
        Path dir = SharedInfrastructure.workDir().resolve("secrets-in-logs-it");
        Files.createDirectories(dir);
        String databasePassword = "db-password-" + UUID.randomUUID();
        String urlPassword = "url-password-" + UUID.randomUUID();
        Path passwordFile = dir.resolve("database-password");
        Files.writeString(passwordFile, databasePassword + "\n");
        List<LauncherRun> runs = new ArrayList<>();
        List<String> secrets = new ArrayList<>(List.of(databasePassword, urlPassword));
        try (KafkaBroker kafka = KafkaBroker.start(dir.resolve("kafka"))) {
            String database = SharedInfrastructure.postgres().createDatabase("secrets_in_logs_it");
            int port = freePort();
            Map<String, String> environment = new HashMap<>(Map.of(
                    "KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                    "SCHEMA_REGISTRY_URL", SharedInfrastructure.registry().url(),
                    // The embedded server trusts local connections, so neither password is checked; what matters
                    // here is where the services put them.
                    "DATABASE_URL", database + "?ApplicationName=secrets-it&password=" + urlPassword,
                    "DATABASE_PASSWORD_FILE", passwordFile.toString(),
                    "PROCESSOR_HTTP_PORT", "0", "PROCESSOR_STATE_DIR", dir.resolve("state").toString(),
                    "TOPIC_PARTITIONS", "2",
                    "GATEWAY_PORT", Integer.toString(port),
                    "GATEWAY_INSTANCE_ID", "secrets-it"));
            LauncherRun processor = LauncherRun.start("secrets-processor.log", environment, List.of("processor"));
            runs.add(processor);
            LauncherRun gateway = LauncherRun.start("secrets-gateway.log", environment, List.of("gateway"));
            runs.add(gateway);
            await().atMost(Duration.ofSeconds(90)).ignoreExceptions()
                    .failFast("a service exited: " + processor.err() + gateway.err(),
                            () -> !processor.process().isAlive() || !gateway.process().isAlive())
                    .until(() -> get(port, "/health/ready") == 200);

            LauncherRun createOrg = admin(environment, runs, "create-org", "Secretive");
            String org = lastLine(createOrg);
            LauncherRun createKey = admin(environment, runs, "create-key", org, "--label", "logs");
            String key = lastLine(createKey);
            assertThat(key).startsWith("ps_");
            String madeUp = "ps_" + UUID.randomUUID().toString().replace("-", "") + "madeup";
            secrets.addAll(List.of(key, key.substring(3), madeUp));

            String persona = send(port, key, "POST", "/v1/personas", "{\"name\": \"quiet\"}").body()
                    .replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
            assertThat(send(port, key, "PATCH", "/v1/personas/" + persona + "/inbound/%2B14155550123/settings",
                    "{\"persona_settings\": null}").statusCode()).isEqualTo(404);
            assertThat(send(port, madeUp, "GET", "/v1/personas", null).statusCode()).isEqualTo(401);
            assertThat(send(port, "Bearer " + key, "GET", "/v1/personas", null).statusCode()).isEqualTo(401);
            assertThat(send(port, key, "POST", "/v1/personas/" + persona + "/inbound/attach",
                    "{\"inbound_numbers\": [\"" + key + "\"]}").statusCode()).isEqualTo(400);
            admin(environment, runs, "list-keys", org);

            processor.sigterm();
            gateway.sigterm();
            assertThat(processor.process().waitFor(45, TimeUnit.SECONDS)).isTrue();
            assertThat(gateway.process().waitFor(45, TimeUnit.SECONDS)).isTrue();

            List<String> lines = new ArrayList<>();
            for (LauncherRun run : runs) {
                lines.addAll(run.errAfterExit());
                lines.addAll(run.outAfterExit());
            }
            lines.remove(key); // create-key's result: the one place the key is meant to be shown
            assertThat(lines).as("what the services wrote").hasSizeGreaterThan(5);
            for (String secret : secrets) {
                assertThat(lines).as("lines holding a secret").noneMatch(line -> line.contains(secret));
            }
        } finally {
            for (LauncherRun run : runs) {
                run.sigkill();
            }
        }
    }

    private static LauncherRun admin(Map<String, String> environment, List<LauncherRun> runs, String... arguments)
            throws Exception {
        List<String> command = new ArrayList<>(List.of("admin"));
        command.addAll(List.of(arguments));
        LauncherRun run = LauncherRun.start("secrets-admin.log", environment, command);
        runs.add(run);
        assertThat(run.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(run.process().exitValue()).as("admin %s: %s", command, run.errAfterExit()).isZero();
        return run;
    }

    private static String lastLine(LauncherRun run) throws Exception {
        List<String> out = run.outAfterExit();
        return out.get(out.size() - 1);
    }

    private int get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private HttpResponse<String> send(int port, String key, String method, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("authorization", key)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .timeout(Duration.ofSeconds(30))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
