package com.personasettings.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a request answers when something fails after, or while, its commands are published: never a claim that
 * nothing was accepted when something was, never a 500, and nothing left waiting for a reply.
 */
class SubmissionFaultsIT {

    private static final AtomicInteger NEXT_NUMBER = new AtomicInteger(2000);

    private static GatewayStack stack;
    private static HttpClientForTests http;
    private static GatewayStack.Org org;

    @BeforeAll
    static void start() {
        stack = new GatewayStack("submission-faults-it");
        http = new HttpClientForTests(stack.gateway.port());
        org = stack.org("Faults");
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
    }

    @Test
    void aQueuedCommandThatCannotBeRecordedAsAcceptedIsStill202AndItsStatusIsFound() {
        String persona = createPersona();
        String phone = attachedNumber(persona);
        try (Handle sql = Jdbi.create(stack.dataSource()).open()) {
            refuse(sql, "insert", "accepted_commands");
            try {
                var accepted = http.send("PATCH", settingsPath(persona, phone), org.key(),
                        "{\"persona_settings\": {\"pathway_id\": \"unrecorded\"}}", "Prefer", "respond-async");

                assertThat(accepted.status()).as(String.valueOf(accepted.body())).isEqualTo(202);
                String location = accepted.header("Location");
                assertThat(location).startsWith("/v1/requests/");
                var done = await().atMost(Duration.ofSeconds(30))
                        .until(() -> http.send("GET", location, org.key(), null), r -> r.status() == 200);
                assertThat(done.body().get("data").get("persona_settings").get("pathway_id").asText()).isEqualTo("unrecorded");
            } finally {
                allow(sql, "accepted_commands");
            }
        }
    }

    @Test
    void anAnswerThatFailsAfterTheOutcomesArrivedIs202WithTheStatusUrl() {
        String persona = createPersona();
        attachedNumber(persona);
        String phone = "+1415666" + NEXT_NUMBER.getAndIncrement();
        stack.provision(org, phone, null);
        try (Handle sql = Jdbi.create(stack.dataSource()).open()) {
            // When the processor records the attach, the personas table goes away: the outcome arrives, and
            // reading the persona back for the answer fails.
            sql.execute("create or replace function hide_personas_for_test() returns trigger language plpgsql as "
                    + "$$ begin execute 'alter table if exists personas rename to personas_hidden_for_test'; "
                    + "return null; end $$");
            sql.execute("create trigger hide_personas_for_test after insert on command_outcomes "
                    + "for each statement execute function hide_personas_for_test()");
            HttpClientForTests.Response attached;
            try {
                attached = http.send("POST", "/v1/personas/" + persona + "/inbound/attach", org.key(),
                        "{\"inbound_numbers\": [\"" + phone + "\"]}");
            } finally {
                sql.execute("drop trigger hide_personas_for_test on command_outcomes");
                sql.execute("alter table if exists personas_hidden_for_test rename to personas");
            }

            assertThat(attached.status()).as(String.valueOf(attached.body())).isEqualTo(202);
            var status = http.send("GET", attached.header("Location"), org.key(), null);
            assertThat(status.status()).as(String.valueOf(status.body())).isEqualTo(200);
            assertThat(status.body().get("data").get("id").asText()).isEqualTo(persona);
            assertThat(status.body().get("data").get("inbound_numbers").findValuesAsText("phone_number")).contains(phone);
        }
    }

    @Test
    void aPublishThatFailsIs503AndLeavesNothingWaiting() throws Exception {
        String persona = createPersona();
        String phone = attachedNumber(persona);
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        // The serializer cannot register the command's schema, so the producer refuses the record outright.
        try (GatewayApp gateway = stack.startGateway("gw-no-registry", Map.of(
                "SCHEMA_REGISTRY_URL", "http://127.0.0.1:" + closedPort + "/apis/ccompat/v6",
                "GATEWAY_REPLY_TIMEOUT_MS", "3000"))) {
            var client = new HttpClientForTests(gateway.port());
            long start = System.nanoTime();

            var response = client.send("PATCH", settingsPath(persona, phone), org.key(),
                    "{\"persona_settings\": {\"pathway_id\": \"never sent\"}}", "Idempotency-Key", "k-1");

            assertThat(response.status()).as(String.valueOf(response.body())).isEqualTo(503);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
            JsonNode error = response.body().get("errors").get(0);
            assertThat(error.get("error").asText()).isEqualTo("SERVICE_UNAVAILABLE");
            assertThat(error.get("message").asText()).contains("same Idempotency-Key").doesNotContain("nothing");
            assertThat(error.get("details").get("queued")).isEmpty();
            assertThat(error.get("details").get("not_confirmed").get(0).get("phone_number").asText()).isEqualTo(phone);
            assertThat(gateway.replies().waiting()).as("requests waiting for a reply").isZero();
        }
    }

    private static void refuse(Handle sql, String operation, String table) {
        sql.execute("create or replace function refuse_for_test() returns trigger language plpgsql as "
                + "$$ begin raise exception 'refused by the test'; end $$");
        sql.execute("create trigger refuse_for_test before " + operation + " on " + table
                + " for each row execute function refuse_for_test()");
    }

    private static void allow(Handle sql, String table) {
        sql.execute("drop trigger refuse_for_test on " + table);
    }

    private static String createPersona() {
        var response = http.send("POST", "/v1/personas", org.key(), "{\"name\": \"faults\"}");
        assertThat(response.status()).isEqualTo(200);
        return response.body().get("data").get("id").asText();
    }

    private static String attachedNumber(String persona) {
        String phone = "+1415666" + NEXT_NUMBER.getAndIncrement();
        stack.provision(org, phone, null);
        var attached = http.send("POST", "/v1/personas/" + persona + "/inbound/attach", org.key(),
                "{\"inbound_numbers\": [\"" + phone + "\"]}");
        assertThat(attached.status()).as(String.valueOf(attached.body())).isEqualTo(200);
        return phone;
    }

    private static String settingsPath(String persona, String phone) {
        return "/v1/personas/" + persona + "/inbound/" + phone.replace("+", "%2B") + "/settings";
    }
}
