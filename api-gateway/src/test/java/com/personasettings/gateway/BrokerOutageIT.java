package com.personasettings.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.personasettings.schemas.Topics;
import com.personasettings.testkit.KafkaBroker;
import com.personasettings.testkit.SharedInfrastructure;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.TopicPartitionInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Brokers stopped under a running gateway, then started again: answers stay bounded by the reply timeout,
 * request threads stay free, health tells the truth, and a multi-number request says what it queued.
 * Two brokers, replication factor 1, so stopping one makes only its partitions unavailable.
 */
class BrokerOutageIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(3);
    /** Above the reply timeout an answer may take: scheduling on a busy two-core machine. */
    private static final Duration MARGIN = Duration.ofMillis(1500);
    private static final AtomicInteger NEXT_NUMBER = new AtomicInteger(1000);

    private static KafkaBroker cluster;
    private static GatewayStack stack;
    private static GatewayApp gateway;
    private static HttpClientForTests http;
    private static GatewayStack.Org org;

    @BeforeAll
    static void start() {
        cluster = KafkaBroker.start(SharedInfrastructure.workDir().resolve("broker-outage-it-kafka"), 2);
        stack = new GatewayStack("broker-outage-it", cluster, SharedInfrastructure.postgres());
        gateway = stack.startGateway("gw-outage", Map.of("GATEWAY_REPLY_TIMEOUT_MS", String.valueOf(TIMEOUT.toMillis())));
        http = new HttpClientForTests(gateway.port());
        org = stack.org("Outage");
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
        stack.close();
    }

    @Test
    void aMultiNumberRequestSaysWhichCommandsWereQueuedAndARetryWithTheSameKeyCompletesIt() {
        String persona = createPersona();
        String onStopped = numberOnPartitionLedBy(1);
        String onRunning = numberOnPartitionLedBy(0);
        String body = "{\"inbound_numbers\": [\"" + onRunning + "\", \"" + onStopped + "\"]}";
        String path = "/v1/personas/" + persona + "/inbound/attach";

        cluster.stopBroker(1);
        try {
            long start = System.nanoTime();
            var partial = http.send("POST", path, org.key(), body, "Idempotency-Key", "attach-1");
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            System.out.printf("Attach with one partition unavailable: %d after %d ms%n", partial.status(), took.toMillis());
            assertThat(partial.status()).as(String.valueOf(partial.body())).isEqualTo(503);
            assertThat(took).isLessThan(TIMEOUT.plus(MARGIN));
            JsonNode error = partial.body().get("errors").get(0);
            assertThat(error.get("error").asText()).isEqualTo("SERVICE_UNAVAILABLE");
            assertThat(error.get("message").asText()).contains("1 of 2").contains("same Idempotency-Key");
            assertThat(error.get("details").get("queued")).hasSize(1);
            assertThat(error.get("details").get("queued").get(0).get("phone_number").asText()).isEqualTo(onRunning);
            assertThat(error.get("details").get("not_confirmed")).hasSize(1);
            assertThat(error.get("details").get("not_confirmed").get(0).get("phone_number").asText()).isEqualTo(onStopped);
        } finally {
            cluster.startBroker(1);
        }

        var completed = await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                .until(() -> http.send("POST", path, org.key(), body, "Idempotency-Key", "attach-1"), r -> r.status() == 200);
        List<String> attached = new ArrayList<>();
        completed.body().get("data").get("inbound_numbers").forEach(n -> attached.add(n.get("phone_number").asText()));
        assertThat(attached).containsExactlyInAnyOrder(onRunning, onStopped);
    }

    @Test
    void withTheBrokersDownRequestsAre503WithinTheTimeoutThreadsStayFreeAndHealthTellsTheTruth() throws Exception {
        String persona = createPersona();
        String phone = newNumber();
        attach(persona, phone);
        String path = settingsPath(persona, phone);
        String body = "{\"persona_settings\": {\"pathway_id\": \"during the outage\"}}";
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                .until(() -> http.send("PATCH", path, org.key(), body).status() == 200);
        // A gateway that has not published yet: its producer has no metadata, so a send would block for it.
        try (GatewayApp cold = stack.startGateway("gw-cold", Map.of("GATEWAY_REPLY_TIMEOUT_MS",
                String.valueOf(TIMEOUT.toMillis())))) {
            HttpClientForTests coldHttp = new HttpClientForTests(cold.port());
            // Its own client (own connections and selector thread), so the flood's client work does not delay it.
            HttpClientForTests probe = new HttpClientForTests(cold.port());

            cluster.brokerIds().forEach(cluster::stopBroker);
            long stopped = System.nanoTime();
            try {
                long start = System.nanoTime();
                var refused = http.send("PATCH", path, org.key(), body);
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                System.out.printf("PATCH with every broker down: %d after %d ms%n", refused.status(), took.toMillis());
                assertThat(refused.status()).as(String.valueOf(refused.body())).isEqualTo(503);
                assertThat(refused.body().get("errors").get(0).get("error").asText()).isEqualTo("SERVICE_UNAVAILABLE");
                assertThat(took).isLessThan(TIMEOUT.plus(MARGIN));

                var notReady = await().atMost(Duration.ofSeconds(10))
                        .until(() -> http.send("GET", "/health/ready", null, null), r -> r.status() == 503);
                System.out.printf("Readiness 503 %d ms after the brokers had stopped (a 3 s PATCH came first): %s%n",
                        Duration.ofNanos(System.nanoTime() - stopped).toMillis(), notReady.body().get("checks"));
                assertThat(notReady.body().get("status").asText()).isEqualTo("DOWN");
                assertThat(notReady.body().get("checks").get("kafka").asText()).isNotEqualTo("UP");
                assertThat(notReady.body().get("checks").get("database").asText()).isEqualTo("UP");
                assertThat(http.send("GET", "/health", null, null).status()).isEqualTo(503);

                ExecutorService clients = Executors.newFixedThreadPool(300);
                try {
                    List<Future<Duration>> flood = new ArrayList<>();
                    for (int i = 0; i < 300; i++) {
                        flood.add(clients.submit(() -> {
                            long sent = System.nanoTime();
                            var response = coldHttp.send("PATCH", path, org.key(), body);
                            assertThat(response.status()).isEqualTo(503);
                            return Duration.ofNanos(System.nanoTime() - sent);
                        }));
                    }
                    Duration slowestOther = Duration.ZERO;
                    while (flood.stream().anyMatch(f -> !f.isDone())) {
                        for (String other : List.of("/health/live", "/health/ready", "/v1/personas/" + persona)) {
                            long sent = System.nanoTime();
                            var response = probe.send("GET", other, other.startsWith("/v1") ? org.key() : null, null);
                            Duration took2 = Duration.ofNanos(System.nanoTime() - sent);
                            slowestOther = took2.compareTo(slowestOther) > 0 ? took2 : slowestOther;
                            assertThat(response.status()).as(other).isEqualTo(other.equals("/health/ready") ? 503 : 200);
                            assertThat(took2).as(other + " during the flood").isLessThan(Duration.ofSeconds(1));
                        }
                    }
                    Duration slowest = Duration.ZERO;
                    for (Future<Duration> f : flood) {
                        slowest = f.get().compareTo(slowest) > 0 ? f.get() : slowest;
                    }
                    System.out.printf("300 concurrent PATCHes to a gateway without metadata: all 503, slowest %d ms; "
                            + "slowest GET or health meanwhile %d ms%n", slowest.toMillis(), slowestOther.toMillis());
                    assertThat(slowest).isLessThan(TIMEOUT.plus(MARGIN).plus(MARGIN));
                } finally {
                    clients.shutdownNow();
                }
                assertThat(cold.replies().waiting()).isZero();
            } finally {
                cluster.brokerIds().forEach(cluster::startBroker);
            }
            long restarted = System.nanoTime();

            await().atMost(Duration.ofSeconds(60))
                    .until(() -> http.send("GET", "/health/ready", null, null).status() == 200);
            long ready = System.nanoTime();
            var after = await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> http.send("PATCH", path, org.key(), body), r -> r.status() == 200);
            System.out.printf("After the restart: ready in %d ms, a PATCH answered 200 after %d ms%n",
                    Duration.ofNanos(ready - restarted).toMillis(), Duration.ofNanos(System.nanoTime() - restarted).toMillis());
            assertThat(after.body().get("data").get("persona_settings").get("pathway_id").asText()).isEqualTo("during the outage");
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> coldHttp.send("PATCH", path, org.key(), body).status() == 200);
        }
        assertThat(http.send("GET", "/health/live", null, null).status()).isEqualTo(200);
    }

    /** A new number of the org whose commands go to a partition the given broker leads. */
    private static String numberOnPartitionLedBy(int broker) {
        try (Admin admin = cluster.admin()) {
            List<TopicPartitionInfo> partitions = admin.describeTopics(List.of(Topics.COMMANDS)).allTopicNames().get()
                    .get(Topics.COMMANDS).partitions();
            while (true) {
                String phone = "+1415777" + NEXT_NUMBER.getAndIncrement();
                int partition = BuiltInPartitioner.partitionForKey(phone.getBytes(StandardCharsets.UTF_8), partitions.size());
                if (partitions.get(partition).leader().id() == broker) {
                    stack.provision(org, phone, null);
                    return phone;
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String newNumber() {
        String phone = "+1415777" + NEXT_NUMBER.getAndIncrement();
        stack.provision(org, phone, null);
        return phone;
    }

    private static String createPersona() {
        var response = http.send("POST", "/v1/personas", org.key(), "{\"name\": \"outage\"}");
        assertThat(response.status()).isEqualTo(200);
        return response.body().get("data").get("id").asText();
    }

    private static void attach(String persona, String phone) {
        var response = await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                .until(() -> http.send("POST", "/v1/personas/" + persona + "/inbound/attach", org.key(),
                        "{\"inbound_numbers\": [\"" + phone + "\"]}"), r -> r.status() == 200);
        assertThat(response.status()).isEqualTo(200);
    }

    private static String settingsPath(String persona, String phone) {
        return "/v1/personas/" + persona + "/inbound/" + phone.replace("+", "%2B") + "/settings";
    }
}
