package com.personasettings.devlauncher;

import com.personasettings.gateway.admin.Operator;
import com.personasettings.gateway.db.GatewayDatabase;
import com.personasettings.client.PersonaClient;
import com.personasettings.testkit.KafkaBroker;
import com.personasettings.devstack.Postgres;
import com.personasettings.testkit.SharedInfrastructure;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.MemberDescription;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Two processors and two gateways, each its own process started by ./persona-settings, on one broker. */
class ScaleOutIT {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void twoProcessorsShareThePartitionsAndTwoGatewaysEachAnswerTheirOwnRequests() throws Exception {
        Path dir = SharedInfrastructure.workDir().resolve("scale-out-it");
        List<Process> processes = new ArrayList<>();
        try (KafkaBroker kafka = KafkaBroker.start(dir.resolve("kafka"))) {
            String database = SharedInfrastructure.postgres().createDatabase("scale_out_it");
            Map<String, String> common = Map.of(
                    "KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                    "SCHEMA_REGISTRY_URL", SharedInfrastructure.registry().url(),
                    "DATABASE_URL", database,
                    "TOPIC_PARTITIONS", "4");
            for (int i = 1; i <= 2; i++) {
                processes.add(start(dir, "processor-" + i, common, Map.of("PROCESSOR_INSTANCE_ID", "p-" + i,
                        "PROCESSOR_HTTP_PORT", "0", "PROCESSOR_STATE_DIR", dir.resolve("state-" + i).toString()), "processor"));
            }
            List<Integer> ports = List.of(freePort(), freePort());
            for (int i = 0; i < 2; i++) {
                processes.add(start(dir, "gateway-" + (i + 1), common, Map.of("GATEWAY_INSTANCE_ID", "g-" + (i + 1),
                        "GATEWAY_PORT", ports.get(i).toString()), "gateway"));
            }
            try (Admin admin = kafka.admin()) {
                await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() -> members(admin).size() == 2
                        && members(admin).stream().allMatch(m -> !m.assignment().topicPartitions().isEmpty()));
            }
            for (int port : ports) {
                await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> get(port, "/health") == 200);
            }

            PGSimpleDataSource dataSource = new PGSimpleDataSource();
            dataSource.setUrl(database);
            dataSource.setUser(Postgres.USER);
            GatewayDatabase db = new GatewayDatabase(dataSource);
            List<String> numbers = new ArrayList<>();
            String key;
            try (PersonaClient client = Operator.client(kafka.bootstrapServers(), SharedInfrastructure.registry().url())) {
                Operator operator = new Operator(db, client);
                UUID org = operator.createOrg("Scale");
                key = operator.createKey(org);
                for (int n = 0; n < 12; n++) {
                    numbers.add("+1415777" + String.format("%04d", n));
                    operator.provision(org, numbers.get(n), null, null).written().join();
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> db.numbers().ownedAmong(org, numbers).size() == 12);
            }
            String persona = body(send(ports.get(0), key, "POST", "/v1/personas", "{\"name\": \"scaled\"}"))
                    .replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
            var attached = send(ports.get(1), key, "POST", "/v1/personas/" + persona + "/inbound/attach",
                    "{\"inbound_numbers\": [\"" + String.join("\", \"", numbers) + "\"]}");
            assertThat(attached.statusCode()).as(attached.body()).isEqualTo(200);

            List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
            for (int i = 0; i < numbers.size(); i++) {
                int port = ports.get(i % 2);
                String path = "/v1/personas/" + persona + "/inbound/" + numbers.get(i).replace("+", "%2B") + "/settings";
                String body = "{\"persona_settings\": {\"pathway_id\": \"r-" + i + "\"}}";
                calls.add(CompletableFuture.supplyAsync(() -> send(port, key, "PATCH", path, body)));
            }
            for (int i = 0; i < calls.size(); i++) {
                HttpResponse<String> response = calls.get(i).get(60, TimeUnit.SECONDS);
                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                assertThat(response.body()).contains("\"phone_number\":\"" + numbers.get(i) + "\"", "\"pathway_id\":\"r-" + i + "\"");
            }
        } finally {
            for (Process process : processes) {
                process.destroy();
            }
            for (Process process : processes) {
                assertThat(process.waitFor(45, TimeUnit.SECONDS)).isTrue();
            }
        }
    }

    private static Collection<MemberDescription> members(Admin admin) throws Exception {
        return admin.describeConsumerGroups(List.of("persona-settings-processor")).all().get()
                .get("persona-settings-processor").members();
    }

    private static Process start(Path dir, String name, Map<String, String> common, Map<String, String> own,
                                 String command) throws Exception {
        Map<String, String> environment = new HashMap<>(common);
        environment.putAll(own);
        ProcessBuilder builder = new ProcessBuilder("bash", "persona-settings", command)
                .directory(Path.of("..").toAbsolutePath().normalize().toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(name + ".log").toFile()));
        builder.environment().putAll(environment);
        java.nio.file.Files.createDirectories(dir);
        return builder.start();
    }

    private int get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private HttpResponse<String> send(int port, String key, String method, String path, String body) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                    .header("authorization", key)
                    .method(method, HttpRequest.BodyPublishers.ofString(body))
                    .timeout(Duration.ofSeconds(30))
                    .build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String body(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
