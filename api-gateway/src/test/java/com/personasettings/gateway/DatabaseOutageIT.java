package com.personasettings.gateway;

import com.personasettings.testkit.Postgres;
import com.personasettings.testkit.SharedInfrastructure;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** PostgreSQL stopped under a running gateway: requests that need it are 503 in Bland's envelope, never 500. */
class DatabaseOutageIT {

    private static Postgres postgres;
    private static GatewayStack stack;
    private static HttpClientForTests http;
    private static GatewayStack.Org org;

    @BeforeAll
    static void start() {
        postgres = Postgres.start(SharedInfrastructure.workDir().resolve("database-outage-it-postgres"));
        stack = new GatewayStack("database-outage-it", null, postgres);
        http = new HttpClientForTests(stack.gateway.port());
        org = stack.org("Outage");
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
        postgres.close();
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
