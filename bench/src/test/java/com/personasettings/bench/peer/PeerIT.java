package com.personasettings.bench.peer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.personasettings.devstack.Postgres;
import com.personasettings.gateway.GatewayConfig;
import com.personasettings.gateway.admin.Operator;
import com.personasettings.gateway.auth.ApiKeys;
import com.personasettings.gateway.db.GatewayDatabase;
import com.personasettings.platform.DataSources;
import com.personasettings.platform.Pool;
import com.personasettings.processor.db.Repository;
import com.personasettings.processor.db.Rows;
import com.zaxxer.hikari.HikariDataSource;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The CRUD peer on a real PostgreSQL, through real HTTP: the product's answers, written in one transaction. */
class PeerIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PERSONA = "12345678-1234-1234-1234-123456789012";
    private static final String OTHER_PERSONA = "87654321-4321-4321-4321-210987654321";
    private static final String NOT_FOUND = """
            {"data":null,"errors":[{"error":"INBOUND_NOT_FOUND","message":"Inbound number not found or not attached to this persona"}]}""";

    private static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static Postgres postgres;
    private static HikariDataSource peerData;
    private static Jdbi db;
    private static Peer peer;
    private static UUID org;
    private static ApiKeys.NewKey key;

    @BeforeAll
    static void start() {
        postgres = Postgres.start(Path.of("target/peer-it-postgres").toAbsolutePath());
        GatewayDatabase.migrate(postgres.dataSource());
        Map<String, String> environment = Map.of(
                "DATABASE_URL", postgres.jdbcUrl(),
                "DATABASE_USER", Postgres.USER,
                "PEER_DATABASE_URL", postgres.createDatabase("peer"),
                "GATEWAY_PORT", "0");
        GatewayConfig config = GatewayConfig.from(environment);
        peerData = DataSources.pooled(PeerApp.peerDatabase(config, environment), Pool.of("peer-it", 4));
        Repository.migrate(peerData);
        db = Jdbi.create(peerData);

        Operator operator = new Operator(new GatewayDatabase(postgres.dataSource()), null); // orgs and keys: no Kafka
        org = operator.createOrg("Peer");
        key = operator.createKey(org, null, null);
        PeerNumbers.insert(peerData, List.of(
                new PeerNumbers.Attached(org, "+14155550101", PERSONA),
                new PeerNumbers.Attached(org, "+14155550102", PERSONA),
                new PeerNumbers.Attached(org, "+14155550103", PERSONA),
                new PeerNumbers.Attached(org, "+14155550104", PERSONA),
                new PeerNumbers.Attached(org, "+14155550105", PERSONA),
                new PeerNumbers.Attached(org, "+14155550106", PERSONA)));

        peer = Peer.start(config, PeerApp.peerDatabase(config, environment));
    }

    @AfterAll
    static void stop() throws Exception {
        if (peer != null) {
            peer.close();
        }
        if (peerData != null) {
            peerData.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void aPatchAnswersTheProductsBodyAndWritesTheRowAndItsAuditRowInOneTransaction() throws Exception {
        String phone = "+14155550101";
        Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        HttpResponse<String> response = patch(key.key(), PERSONA, phone, """
                {"persona_settings": {"pathway_id": "pathway_abc123", "pathway_version": 2, "start_node_id": "node_xyz"}}""");
        Instant after = Instant.now();

        Map<String, Object> number = row(phone);
        Instant updatedAt = ((Timestamp) number.get("updated_at")).toInstant();
        assertThat(updatedAt).isBetween(before, after);
        long id = (Long) number.get("id");
        String settings = "{\"pathway_id\":\"pathway_abc123\",\"pathway_version\":2,\"start_node_id\":\"node_xyz\"}";
        // Byte for byte what the gateway renders for the processor's outcome (Bland's example's shape).
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"data\":{\"id\":" + id + ",\"phone_number\":\"" + phone
                + "\",\"persona_id\":\"" + PERSONA + "\",\"persona_settings\":" + settings + ",\"updated_at\":\""
                + Rows.timestamp(updatedAt) + "\"},\"errors\":null}");

        assertThat(JSON.readTree((String) number.get("persona_settings"))).isEqualTo(JSON.readTree(settings));
        assertThat(number.get("source_offset")).isEqualTo(1L);
        List<Map<String, Object>> audit = auditRows(phone);
        assertThat(audit).hasSize(1);
        Map<String, Object> outcome = audit.get(0);
        assertThat(((UUID) outcome.get("command_id")).version()).isEqualTo(4);
        assertThat(outcome).containsEntry("org_id", org)
                .containsEntry("command_type", "UpdatePersonaSettings")
                .containsEntry("actor", "api-key:" + key.id())
                .containsEntry("source_partition", 0)
                .containsEntry("source_offset", 1L)
                .containsEntry("succeeded", true)
                .containsEntry("errors", null)
                .containsEntry("xmin", number.get("xmin")); // written by the same transaction
        assertThat(((Timestamp) outcome.get("issued_at")).toInstant()).isEqualTo(updatedAt);
        assertThat(JSON.readTree((String) outcome.get("command"))).isEqualTo(JSON.readTree(
                "{\"persona_id\":\"" + PERSONA + "\",\"persona_settings\":" + settings + "}"));
        assertThat(JSON.readTree((String) outcome.get("result"))).isEqualTo(JSON.readTree("{\"id\":" + id
                + ",\"phone_number\":\"" + phone + "\",\"org_id\":\"" + org + "\",\"label\":null,\"persona_id\":\""
                + PERSONA + "\",\"persona_settings\":" + settings + ",\"updated_at\":\"" + Rows.timestamp(updatedAt)
                + "\"}"));
    }

    @Test
    void aPersonaTheNumberIsNotAttachedToIs404AndIsAuditedOnly() throws Exception {
        String phone = "+14155550102";
        Map<String, Object> before = row(phone);

        HttpResponse<String> response = patch(key.key(), OTHER_PERSONA, phone, "{\"persona_settings\": null}");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).isEqualTo(NOT_FOUND);
        assertThat(row(phone)).isEqualTo(before);
        // Audited as the product audits a refusal: under the number's current offset, with the error.
        assertThat(auditRows(phone)).singleElement().satisfies(audit -> {
            assertThat(audit.get("succeeded")).isEqualTo(false);
            assertThat((String) audit.get("errors")).contains("INBOUND_NOT_FOUND");
            assertThat(audit.get("source_offset")).isEqualTo(0L);
        });
        // A number nobody seeded is the same answer.
        HttpResponse<String> unknown = patch(key.key(), PERSONA, "+14155559999", "{\"persona_settings\": null}");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).isEqualTo(NOT_FOUND);
    }

    @Test
    void aNegativePathwayVersionIs400WithTheProductsErrorAndWritesNothing() throws Exception {
        String phone = "+14155550103";
        Map<String, Object> before = row(phone);

        HttpResponse<String> response = patch(key.key(), PERSONA, phone, "{\"persona_settings\": {\"pathway_version\": -1}}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).isEqualTo("""
                {"data":null,"errors":[{"error":"INVALID_REQUEST","message":"persona_settings.pathway_version must not be negative"}]}""");
        assertThat(row(phone)).isEqualTo(before);
        // Refused while the body is read, as the gateway refuses it: no command, so nothing to audit.
        assertThat(auditRows(phone)).isEmpty();
    }

    @Test
    void aBadKeyIs401InTheEnvelopeAndWritesNothing() throws Exception {
        String phone = "+14155550104";
        Map<String, Object> before = row(phone);
        String unauthorized = """
                {"data":null,"errors":[{"error":"AUTH_FAILURE","message":"Invalid API key"}]}""";

        HttpResponse<String> patch = patch("ps_not-a-key-of-anyone", PERSONA, phone, "{\"persona_settings\": null}");
        HttpResponse<String> ping = send("GET", "/v1/ping", "ps_not-a-key-of-anyone", null);
        HttpResponse<String> noKey = send("GET", "/v1/ping", null, null);

        for (HttpResponse<String> response : List.of(patch, ping, noKey)) {
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.body()).isEqualTo(unauthorized);
        }
        assertThat(row(phone)).isEqualTo(before);
        assertThat(auditRows(phone)).isEmpty();
    }

    @Test
    void pingAnswers200WithATinyEnvelope() throws Exception {
        HttpResponse<String> response = send("GET", "/v1/ping", key.key(), null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"data\":{\"pong\":true},\"errors\":null}");
    }

    @Test
    void twoConcurrentPatchesOnOneNumberBothLandOneAfterTheOther() throws Exception {
        String phone = "+14155550105";
        CompletableFuture<HttpResponse<String>> first;
        CompletableFuture<HttpResponse<String>> second;
        // Hold the number's row lock, so that both requests are waiting for it at once before either runs.
        try (Connection lock = peerData.getConnection()) {
            lock.setAutoCommit(false);
            try (var statement = lock.prepareStatement("select 1 from inbound_numbers where phone_number = ? for update")) {
                statement.setString(1, phone);
                statement.executeQuery().close();
            }
            first = patchAsync(PERSONA, phone, "{\"persona_settings\": {\"start_node_id\": \"first\"}}");
            second = patchAsync(PERSONA, phone, "{\"persona_settings\": {\"start_node_id\": \"second\"}}");
            awaitLockWaiters(2);
            lock.commit();
        }
        HttpResponse<String> one = first.get(30, TimeUnit.SECONDS);
        HttpResponse<String> two = second.get(30, TimeUnit.SECONDS);

        assertThat(one.statusCode()).as(one.body()).isEqualTo(200);
        assertThat(two.statusCode()).as(two.body()).isEqualTo(200);
        assertThat(JSON.readTree(one.body()).at("/data/persona_settings/start_node_id").asText()).isEqualTo("first");
        assertThat(JSON.readTree(two.body()).at("/data/persona_settings/start_node_id").asText()).isEqualTo("second");
        // Serialized by the lock: each read the other's offset (without it both would have read 0 and written 1).
        List<Map<String, Object>> audit = auditRows(phone);
        assertThat(audit).extracting(row -> row.get("source_offset")).containsExactly(1L, 2L);
        Map<String, Object> number = row(phone);
        assertThat(number.get("source_offset")).isEqualTo(2L);
        // The row holds the change recorded last.
        JsonNode last = JSON.readTree((String) audit.get(1).get("result"));
        assertThat(JSON.readTree((String) number.get("persona_settings"))).isEqualTo(last.get("persona_settings"));
        assertThat(Rows.timestamp(((Timestamp) number.get("updated_at")).toInstant()))
                .isEqualTo(last.get("updated_at").asText());
    }

    @Test
    void postgresDownIs503InTheEnvelopeAndAPatchWorksAgainOnceItIsBack() throws Exception {
        String phone = "+14155550106";
        assertThat(send("GET", "/v1/ping", key.key(), null).statusCode()).isEqualTo(200); // the key is known now
        postgres.stop();
        HttpResponse<String> down;
        try {
            down = patch(key.key(), PERSONA, phone, "{\"persona_settings\": null}");
        } finally {
            postgres.restart();
        }

        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(down.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(down.body()).isEqualTo("""
                {"data":null,"errors":[{"error":"SERVICE_UNAVAILABLE","message":"The database is unavailable; nothing was changed, retry shortly"}]}""");
        assertThat(auditRows(phone)).isEmpty();
        assertThat(patch(key.key(), PERSONA, phone, "{\"persona_settings\": null}").statusCode()).isEqualTo(200);
        assertThat(auditRows(phone)).hasSize(1);
    }

    /** Polls PostgreSQL until {@code count} of the peer's connections wait for a lock (they arrive over HTTP). */
    private static void awaitLockWaiters(int count) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (db.withHandle(handle -> handle.createQuery("""
                select count(*) from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'
                """).mapTo(Integer.class).one()) < count) {
            assertThat(System.nanoTime()).as("%d requests waiting for the row lock within 30 s", count)
                    .isLessThan(deadline);
        }
    }

    private static Map<String, Object> row(String phone) {
        return db.withHandle(handle -> handle.createQuery("""
                        select id, org_id, persona_id, persona_settings::text, updated_at, source_offset, released,
                               xmin::text
                        from inbound_numbers where phone_number = :phone
                        """).bind("phone", phone).mapToMap().one());
    }

    private static List<Map<String, Object>> auditRows(String phone) {
        return db.withHandle(handle -> handle.createQuery("""
                        select command_id, org_id, command_type, actor, issued_at, command::text, source_partition,
                               source_offset, succeeded, result::text, errors::text, xmin::text
                        from command_outcomes where phone_number = :phone order by source_offset
                        """).bind("phone", phone).mapToMap().list());
    }

    private static HttpResponse<String> patch(String apiKey, String persona, String phone, String body) throws Exception {
        return send("PATCH", path(persona, phone), apiKey, body);
    }

    private static CompletableFuture<HttpResponse<String>> patchAsync(String persona, String phone, String body) {
        return http.sendAsync(request("PATCH", path(persona, phone), key.key(), body), HttpResponse.BodyHandlers.ofString());
    }

    private static String path(String persona, String phone) {
        return "/v1/personas/" + persona + "/inbound/" + URLEncoder.encode(phone, StandardCharsets.UTF_8) + "/settings";
    }

    private static HttpResponse<String> send(String method, String path, String apiKey, String body) throws Exception {
        return http.send(request(method, path, apiKey, body), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest request(String method, String path, String apiKey, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + peer.port() + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (apiKey != null) {
            request.header("authorization", apiKey);
        }
        return request.build();
    }
}
