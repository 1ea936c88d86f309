package com.personasettings.gateway;

import com.personasettings.devstack.Postgres;
import com.personasettings.testkit.SharedInfrastructure;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** PostgreSQL stopped under a running gateway: requests that need it are 503 in Bland's envelope, never 500. */
class DatabaseOutageIT {

    private static Postgres postgres;
    private static GatewayStack stack;
    private static HttpClientForTests http;
    private static GatewayStack.Org org;
    private static final ExecutorService pool = Executors.newFixedThreadPool(8);

    @BeforeAll
    static void start() {
        postgres = Postgres.start(SharedInfrastructure.workDir().resolve("database-outage-it-postgres"));
        stack = new GatewayStack("database-outage-it", null, postgres);
        http = new HttpClientForTests(stack.gateway.port());
        org = stack.org("Outage");
    }

    @AfterAll
    static void stop() throws Exception {
        pool.shutdownNow();
        stack.close();
        postgres.close();
    }

    @Test
    void aKeyInUseIsNotCheckedAgainstADatabaseThatIsDownWhileRequestsWait() throws Exception {
        // A gateway that checks keys again after a second, so the check falls into the outage.
        GatewayApp gateway = stack.startGateway("gw-keys", Map.of("GATEWAY_KEY_CHECK_MS", "1000"));
        HttpClientForTests keys = new HttpClientForTests(gateway.port());
        try {
            assertThat(keys.send("GET", "/v1/personas", org.key(), null).status()).isEqualTo(200);
            Instant checked = Instant.now();
            postgres.stop();
            try {
                await().atMost(Duration.ofSeconds(5)).until(() -> Instant.now().isAfter(checked.plusMillis(1_200)));
                List<CompletableFuture<Long>> requests = IntStream.range(0, 8).mapToObj(i -> CompletableFuture.supplyAsync(() -> {
                    long start = System.nanoTime();
                    var answer = keys.send("GET", "/v1/personas", org.key(), null);
                    assertThat(answer.status()).as("%s", answer.body()).isEqualTo(503);
                    return System.nanoTime() - start;
                }, pool)).toList();
                long slowest = 0;
                for (CompletableFuture<Long> request : requests) {
                    slowest = Math.max(slowest, request.get(60, TimeUnit.SECONDS));
                }
                // Each waits for a connection (2 s at most) side by side; before, every request queued behind a
                // key check that waited 2 s for the database, one after another (16 s for the eighth).
                assertThat(Duration.ofNanos(slowest)).isLessThan(Duration.ofSeconds(8));
            } finally {
                postgres.restart();
            }
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> keys.send("GET", "/v1/personas", org.key(), null).status() == 200);
        } finally {
            gateway.close();
        }
    }

    @Test
    void readsAre503WhilePostgresIsDownAndWorkAgainAfterwards() {
        assertThat(http.send("GET", "/v1/personas", org.key(), null).status()).isEqualTo(200);

        postgres.stop();
        try {
            long start = System.nanoTime();
            var during = http.send("GET", "/v1/personas", org.key(), null);
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(during.status()).as("%s", during.body()).isEqualTo(503);
            assertThat(during.body().get("errors").get(0).get("error").asText()).isEqualTo("SERVICE_UNAVAILABLE");
            assertThat(during.headers().get("retry-after")).containsExactly("1");
            assertThat(took).as("waits for a connection 2 s at most, not the pool's default 30 s")
                    .isLessThan(Duration.ofSeconds(10));
            var create = http.send("POST", "/v1/personas", org.key(), "{\"name\": \"during the outage\"}");
            assertThat(create.status()).isEqualTo(503);
        } finally {
            postgres.restart();
        }
        await().atMost(Duration.ofSeconds(30))
                .until(() -> http.send("GET", "/v1/personas", org.key(), null).status() == 200);
    }
}
