package com.personasettings.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.personasettings.schemas.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static com.personasettings.gateway.HttpClientForTests.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** End to end through HTTP: gateway, broker, processor, PostgreSQL and registry, all real. */
class GatewayIT {

    private static final String PERSONA = "12345678-1234-1234-1234-123456789012";
    private static final String SEED_PATH = "/v1/personas/" + PERSONA + "/inbound/%2B14155551234/settings";
    private static final AtomicInteger NEXT_NUMBER = new AtomicInteger(1000);

    private static GatewayStack stack;
    private static HttpClientForTests http;
    private static GatewayStack.Org org;

    @BeforeAll
    static void start() {
        stack = new GatewayStack("gateway-it");
        http = new HttpClientForTests(stack.gateway.port());
        org = stack.org("Acme");
        stack.persona(org, PERSONA);
        stack.provision(org, "+14155551234", 42L);
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
    }

    @Test
    void blandsSeedExamplesBehaveExactlyAsDocumented() {
        attach(PERSONA, "+14155551234");

        var set = http.send("PATCH", SEED_PATH, org.key(),
                "{\"persona_settings\": {\"pathway_id\": \"pathway_abc123\", \"pathway_version\": 2, \"start_node_id\": \"node_xyz\"}}");
        assertThat(set.status()).isEqualTo(200);
        JsonNode data = set.body().get("data");
        assertThat(set.body().get("errors").isNull()).isTrue();
        assertThat(fieldNames(data)).containsExactly("id", "phone_number", "persona_id", "persona_settings", "updated_at");
        assertThat(data.get("id").isIntegralNumber()).isTrue();
        assertThat(data.get("id").asLong()).isEqualTo(42);
        assertThat(data.get("phone_number").asText()).isEqualTo("+14155551234");
        assertThat(data.get("persona_id").asText()).isEqualTo(PERSONA);
        assertThat(data.get("persona_settings")).isEqualTo(
                json("{\"pathway_id\": \"pathway_abc123\", \"pathway_version\": 2, \"start_node_id\": \"node_xyz\"}"));
        assertThat(data.get("persona_settings").get("pathway_version").isIntegralNumber()).isTrue();
        assertThat(data.get("updated_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");

        var cleared = http.send("PATCH", SEED_PATH, org.key(), "{\"persona_settings\": null}");
        assertThat(cleared.status()).isEqualTo(200);
        assertThat(cleared.body().get("data").get("persona_settings").isNull()).isTrue();

        stack.provision(org, "+14155559999", null);
        var notAttached = http.send("PATCH", "/v1/personas/" + PERSONA + "/inbound/%2B14155559999/settings", org.key(),
                "{\"persona_settings\": null}");
        assertThat(notAttached.status()).isEqualTo(404);
        assertThat(fieldNames(notAttached.body().get("errors").get(0))).containsExactly("error", "message");
        assertThat(notAttached.body()).isEqualTo(json("{\"data\": null, \"errors\": [{\"error\": \"INBOUND_NOT_FOUND\", "
                + "\"message\": \"Inbound number not found or not attached to this persona\"}]}"));
    }

    @Test
    void attachThenPatchThenGetShowsTheSettingsAndDetachClearsThem() {
        String persona = createPersona("Support line");
        String phone = newNumber();
        attach(persona, phone);

        var patched = http.send("PATCH", settingsPath(persona, phone), org.key(),
                "{\"persona_settings\": {\"pathway_id\": \"p-1\"}}");
        assertThat(patched.status()).isEqualTo(200);

        JsonNode numbers = http.send("GET", "/v1/personas/" + persona, org.key(), null).body().get("data").get("inbound_numbers");
        assertThat(numbers).hasSize(1);
        assertThat(numbers.get(0).get("phone_number").asText()).isEqualTo(phone);
        assertThat(numbers.get(0).get("persona_settings")).isEqualTo(json("{\"pathway_id\": \"p-1\"}"));

        var detached = http.send("POST", "/v1/personas/" + persona + "/inbound/detach", org.key(),
                "{\"inbound_numbers\": [\"" + phone + "\"]}");
        assertThat(detached.status()).isEqualTo(200);
        assertThat(detached.body().get("data").get("inbound_numbers")).isEmpty();
        assertThat(http.send("PATCH", settingsPath(persona, phone), org.key(), "{\"persona_settings\": null}").status())
                .isEqualTo(404);
    }

    @Test
    void apiKeysAreStoredOnlyAsHashes() throws Exception {
        try (var connection = stack.dataSource().getConnection();
             var rows = connection.createStatement().executeQuery("select key_hash from api_keys")) {
            List<String> hashes = new ArrayList<>();
            while (rows.next()) {
                hashes.add(rows.getString(1));
            }
            assertThat(hashes).isNotEmpty().doesNotContain(org.key())
                    .allSatisfy(hash -> assertThat(hash).matches("[0-9a-f]{64}"));
        }
    }

    @Test
    void healthAndTheOpenApiDocumentAreServedWithoutAKey() {
        for (String path : List.of("/health", "/health/ready", "/health/live")) {
            var health = http.send("GET", path, null, null);
            assertThat(health.status()).as(path + " " + health.body()).isEqualTo(200);
            assertThat(health.body().get("status").asText()).isEqualTo("UP");
        }
        assertThat(http.send("GET", "/health/ready", null, null).body().get("checks")).isEqualTo(json(
                "{\"kafka\": \"UP\", \"database\": \"UP\", \"schema_registry\": \"UP\", \"reply_consumer\": \"UP\"}"));
        var openApi = http.sendRaw("GET", "/openapi.yaml");
        assertThat(openApi.status()).isEqualTo(200);
        assertThat(openApi.text()).contains("/v1/personas/{persona_id}/inbound/{phone_number}/settings");
    }

    @Test
    void attachingANumberAttachedElsewhereMovesItAndClearsItsSettings() {
        String from = createPersona("from");
        String to = createPersona("to");
        String phone = newNumber();
        attach(from, phone);
        http.send("PATCH", settingsPath(from, phone), org.key(), "{\"persona_settings\": {\"pathway_id\": \"old\"}}");

        attach(to, phone);

        assertThat(http.send("GET", "/v1/personas/" + from, org.key(), null).body().get("data").get("inbound_numbers")).isEmpty();
        JsonNode moved = http.send("GET", "/v1/personas/" + to, org.key(), null).body().get("data").get("inbound_numbers");
        assertThat(moved).hasSize(1);
        assertThat(moved.get(0).get("persona_id").asText()).isEqualTo(to);
        assertThat(moved.get(0).get("persona_settings").isNull()).isTrue();
    }

    @Test
    void personasArePagedAndScopedToTheOrg() {
        GatewayStack.Org pager = stack.org("Pager");
        List<String> created = List.of(createPersona("p1", pager), createPersona("p2", pager), createPersona("p3", pager));

        JsonNode first = http.send("GET", "/v1/personas?page=1&limit=2", pager.key(), null).body().get("data");
        JsonNode second = http.send("GET", "/v1/personas?page=2&limit=2", pager.key(), null).body().get("data");

        assertThat(first).hasSize(2);
        assertThat(second).hasSize(1);
        List<String> paged = new ArrayList<>();
        first.forEach(p -> paged.add(p.get("id").asText()));
        second.forEach(p -> paged.add(p.get("id").asText()));
        assertThat(paged).containsExactlyInAnyOrderElementsOf(created);
    }

    @Test
    void aNumbersHistoryListsItsCommandsNewestFirstForItsOrgOnly() {
        String persona = createPersona("audited");
        String phone = newNumber();
        attach(persona, phone);
        for (String pathway : List.of("one", "two", "three")) {
            http.send("PATCH", settingsPath(persona, phone), org.key(), "{\"persona_settings\": {\"pathway_id\": \"" + pathway + "\"}}");
        }
        String historyPath = "/v1/personas/" + persona + "/inbound/" + phone.replace("+", "%2B") + "/history";

        JsonNode history = http.send("GET", historyPath + "?limit=3", org.key(), null).body().get("data");

        assertThat(history).hasSize(3);
        assertThat(history.get(0).get("request").get("persona_settings").get("pathway_id").asText()).isEqualTo("three");
        assertThat(history.get(2).get("request").get("persona_settings").get("pathway_id").asText()).isEqualTo("one");
        assertThat(history.get(0).get("type").asText()).isEqualTo("UpdatePersonaSettings");
        assertThat(history.get(0).get("outcome").get("data").get("persona_settings").get("pathway_id").asText()).isEqualTo("three");
        JsonNode older = http.send("GET", historyPath + "?page=2&limit=3", org.key(), null).body().get("data");
        assertThat(older.get(0).get("type").asText()).isEqualTo("AttachToPersona");
        assertThat(older.get(1).get("type").asText()).isEqualTo("ProvisionNumber");
        GatewayStack.Org other = stack.org("Snoop");
        assertThat(http.send("GET", historyPath, other.key(), null).status()).isEqualTo(404);
    }

    @Test
    void aMissingOrWrongKeyIs401() {
        for (String key : new String[]{null, "", "ps_not-a-real-key", "Bearer " + org.key()}) {
            var response = http.send("PATCH", SEED_PATH, key, "{\"persona_settings\": null}");
            assertThat(response.status()).as("key %s", key).isEqualTo(401);
            assertThat(response.body()).isEqualTo(json(
                    "{\"data\": null, \"errors\": [{\"error\": \"AUTH_FAILURE\", \"message\": \"Invalid API key\"}]}"));
        }
    }

    @Test
    void anotherOrgsNumberAndPersonaLookMissing() {
        GatewayStack.Org other = stack.org("Other");
        String theirPersona = createPersona("theirs", other);
        String myPersona = createPersona("mine");
        String phone = newNumber();
        attach(myPersona, phone);

        var patch = http.send("PATCH", settingsPath(theirPersona, phone), other.key(), "{\"persona_settings\": null}");
        assertThat(patch.status()).isEqualTo(404);
        assertThat(code(patch)).isEqualTo("INBOUND_NOT_FOUND");
        var get = http.send("GET", "/v1/personas/" + myPersona, other.key(), null);
        assertThat(get.status()).isEqualTo(404);
        assertThat(code(get)).isEqualTo("PERSONA_NOT_FOUND");
        var attach = http.send("POST", "/v1/personas/" + theirPersona + "/inbound/attach", other.key(),
                "{\"inbound_numbers\": [\"" + phone + "\"]}");
        assertThat(attach.status()).isEqualTo(400);
        assertThat(code(attach)).isEqualTo("INVALID_INBOUND_NUMBERS");
    }

    @Test
    void malformedRequestsAre400EnvelopesNamingTheField() {
        String persona = createPersona("strict");
        String phone = newNumber();
        attach(persona, phone);
        String path = settingsPath(persona, phone);

        assertInvalid(http.send("PATCH", path, org.key(), "{\"persona_settings\": {\"pathway_version\": \"2\"}}"),
                "persona_settings.pathway_version");
        assertInvalid(http.send("PATCH", path, org.key(), "{\"persona_settings\": {\"pathway_version\": 2.5}}"),
                "persona_settings.pathway_version");
        assertInvalid(http.send("PATCH", path, org.key(), "{\"persona_settings\": {\"pathway_id\": 7}}"),
                "persona_settings.pathway_id");
        assertInvalid(http.send("PATCH", path, org.key(), "{}"), "persona_settings");
        assertInvalid(http.send("PATCH", path, org.key(), "{\"persona_settings\": "), "JSON");
        assertInvalid(http.send("PATCH", path, org.key(), "[1, 2]"), "object");
        assertInvalid(http.send("PATCH", path, org.key(), "{\"persona_settings\": {\"pathway_id\": \"" + "x".repeat(300) + "\"}}"),
                "persona_settings.pathway_id");
        assertInvalid(http.send("PATCH", "/v1/personas/" + persona + "/inbound/14155551234/settings", org.key(),
                "{\"persona_settings\": null}"), "phone_number");
        assertInvalid(http.send("PATCH", "/v1/personas/not-a-uuid/inbound/%2B14155551234/settings", org.key(),
                "{\"persona_settings\": null}"), "persona_id");
        assertInvalid(http.send("POST", "/v1/personas", org.key(), "{\"description\": \"no name\"}"), "name");
        assertInvalid(http.send("GET", "/v1/personas?limit=101", org.key(), null), "limit");

        var huge = http.send("PATCH", path, org.key(), "{\"persona_settings\": {\"pathway_id\": \"" + "x".repeat(70_000) + "\"}}");
        assertThat(huge.status()).isEqualTo(413);
        assertThat(huge.body().get("errors").get(0).get("error").asText()).isEqualTo("PAYLOAD_TOO_LARGE");
    }

    @Test
    void anAsyncRequestIsAcceptedAndItsStatusCanBePolled() {
        String persona = createPersona("async");
        String phone = newNumber();
        attach(persona, phone);

        var accepted = http.send("PATCH", settingsPath(persona, phone), org.key(),
                "{\"persona_settings\": {\"start_node_id\": \"n-1\"}}", "Prefer", "respond-async");
        assertThat(accepted.status()).isEqualTo(202);
        String location = accepted.header("Location");
        assertThat(location).startsWith("/v1/requests/");

        var done = await().atMost(Duration.ofSeconds(30))
                .until(() -> http.send("GET", location, org.key(), null), r -> r.status() == 200);
        assertThat(done.body().get("data").get("persona_settings")).isEqualTo(json("{\"start_node_id\": \"n-1\"}"));
        GatewayStack.Org other = stack.org("Nosy");
        assertThat(http.send("GET", location, other.key(), null).status()).isEqualTo(404);
    }

    @Test
    void onlyACallerWhoWaitsGetsAReply() {
        String persona = createPersona("replied or not");
        String phone = newNumber();
        attach(persona, phone);
        String path = settingsPath(persona, phone);
        String syncTrace = newTraceId();
        String asyncTrace = newTraceId();

        var accepted = http.send("PATCH", path, org.key(), "{\"persona_settings\": {\"pathway_id\": \"not waited\"}}",
                "Prefer", "respond-async", "traceparent", "00-" + asyncTrace + "-00f067aa0ba902b7-01");
        assertThat(accepted.status()).isEqualTo(202);
        // Same number, so same partition and a later transaction: once this is answered, the async command's
        // transaction is committed too, and a reply it had would be readable.
        assertThat(http.send("PATCH", path, org.key(), "{\"persona_settings\": {\"pathway_id\": \"waited\"}}",
                "traceparent", "00-" + syncTrace + "-00f067aa0ba902b7-01").status()).isEqualTo(200);

        // The sync command names this gateway's reply topic and its correlation id; the async one neither (its
        // outcome is read from PostgreSQL), so the processor writes it no reply and asks for no early commit.
        List<Map<String, String>> commands = stack.headers(Topics.COMMANDS);
        assertThat(withTrace(commands, syncTrace)).containsEntry(Topics.REPLY_TO_HEADER, Topics.REPLIES + ".gw-1")
                .containsKey(Topics.CORRELATION_ID_HEADER);
        assertThat(withTrace(commands, asyncTrace))
                .doesNotContainKeys(Topics.REPLY_TO_HEADER, Topics.CORRELATION_ID_HEADER);
        List<String> replies = stack.traceparents(Topics.REPLIES + ".gw-1");
        assertThat(replies).anyMatch(header -> header.startsWith("00-" + syncTrace + "-"));
        assertThat(replies).noneMatch(header -> header.startsWith("00-" + asyncTrace + "-"));
        assertThat(withTrace(stack.headers(Topics.OUTCOMES), asyncTrace)).isNotEmpty();
    }

    /** A W3C trace id of this test's own. */
    private static String newTraceId() {
        return java.util.HexFormat.of().formatHex(java.nio.ByteBuffer.allocate(16)
                .putLong(System.nanoTime()).putLong(UUID.randomUUID().getLeastSignificantBits()).array());
    }

    /** The one record whose traceparent continues this trace. */
    private static Map<String, String> withTrace(List<Map<String, String>> records, String trace) {
        List<Map<String, String>> found = records.stream()
                .filter(headers -> headers.getOrDefault("traceparent", "").startsWith("00-" + trace + "-")).toList();
        assertThat(found).as("records of trace %s", trace).hasSize(1);
        return found.get(0);
    }

    @Test
    void aRetryWithTheSameIdempotencyKeyReturnsTheFirstOutcomeAndAppliesNothingTwice() {
        String persona = createPersona("idempotent");
        String phone = newNumber();
        attach(persona, phone);
        String path = settingsPath(persona, phone);

        var first = http.send("PATCH", path, org.key(), "{\"persona_settings\": {\"pathway_id\": \"first\"}}",
                "Idempotency-Key", "key-1");
        var later = http.send("PATCH", path, org.key(), "{\"persona_settings\": {\"pathway_id\": \"later\"}}");
        var retry = http.send("PATCH", path, org.key(), "{\"persona_settings\": {\"pathway_id\": \"first\"}}",
                "Idempotency-Key", "key-1");

        assertThat(first.status()).isEqualTo(200);
        assertThat(later.status()).isEqualTo(200);
        assertThat(retry.status()).isEqualTo(200);
        assertThat(retry.body()).isEqualTo(first.body());
        JsonNode numbers = http.send("GET", "/v1/personas/" + persona, org.key(), null).body().get("data").get("inbound_numbers");
        assertThat(numbers.get(0).get("persona_settings").get("pathway_id").asText()).isEqualTo("later");
    }

    @Test
    void aReplyThatTakesLongerThanTheTimeoutIsAnswered202AndNeverLost() throws Exception {
        String persona = createPersona("slow");
        String phone = newNumber();
        attach(persona, phone);
        try (GatewayApp impatient = stack.startGateway("gw-impatient", Map.of("GATEWAY_REPLY_TIMEOUT_MS", "1"))) {
            var response = new HttpClientForTests(impatient.port()).send("PATCH", settingsPath(persona, phone), org.key(),
                    "{\"persona_settings\": {\"pathway_id\": \"eventually\"}}");
            assertThat(response.status()).isEqualTo(202);
            var done = await().atMost(Duration.ofSeconds(30))
                    .until(() -> http.send("GET", response.header("Location"), org.key(), null), r -> r.status() == 200);
            assertThat(done.body().get("data").get("persona_settings").get("pathway_id").asText()).isEqualTo("eventually");
        }
    }

    @Test
    void anIdempotencyKeySentWithAnotherRequestIs422AndSendsNothing() {
        String persona = createPersona("keys");
        String phone = newNumber();
        attach(persona, phone);
        String key = "key-" + UUID.randomUUID();
        var first = http.send("PATCH", settingsPath(persona, phone), org.key(),
                "{\"persona_settings\": {\"pathway_id\": \"a\", \"start_node_id\": \"n\"}}", "Idempotency-Key", key);
        assertThat(first.status()).isEqualTo(200);
        long written = stack.commandsWritten();

        // The same request: another spelling of the path, the fields in another order, other spacing.
        var same = http.send("PATCH", "/v1/personas/" + persona.toUpperCase() + "/inbound/" + phone + "/settings",
                org.key(), "{\"persona_settings\":{\"start_node_id\":\"n\",\"pathway_id\":\"a\"}}", "Idempotency-Key", key);
        var otherBody = http.send("PATCH", settingsPath(persona, phone), org.key(),
                "{\"persona_settings\": {\"pathway_id\": \"b\"}}", "Idempotency-Key", key);
        var otherEndpoint = http.send("POST", "/v1/personas/" + persona + "/inbound/detach", org.key(),
                "{\"inbound_numbers\": [\"" + phone + "\"]}", "Idempotency-Key", key);

        assertThat(same.status()).isEqualTo(200);
        assertThat(same.body()).isEqualTo(first.body());
        for (var reused : List.of(otherBody, otherEndpoint)) {
            assertThat(reused.status()).as(reused.body().toString()).isEqualTo(422);
            assertThat(code(reused)).isEqualTo("IDEMPOTENCY_KEY_REUSED");
        }
        assertThat(stack.commandsWritten()).as("the retry and the refused requests sent nothing new")
                .isEqualTo(written + 1);
        JsonNode numbers = http.send("GET", "/v1/personas/" + persona, org.key(), null).body().get("data").get("inbound_numbers");
        assertThat(numbers.get(0).get("persona_settings").get("pathway_id").asText()).isEqualTo("a");

        // Another org's key of the same name is its own.
        GatewayStack.Org other = stack.org("Keys too");
        String theirPersona = createPersona("theirs", other);
        var theirs = http.send("POST", "/v1/personas/" + theirPersona + "/inbound/detach", other.key(),
                "{\"inbound_numbers\": [\"+14155550000\"]}", "Idempotency-Key", key);
        assertThat(theirs.status()).isEqualTo(200);
    }

    @Test
    void aRequestsTraceGoesThroughBothTopicsToTheReply() {
        String persona = createPersona("traced");
        String phone = newNumber();
        attach(persona, phone);
        String trace = newTraceId();
        var answer = http.send("PATCH", "/v1/personas/" + persona + "/inbound/" + phone.replace("+", "%2B") + "/settings",
                org.key(), "{\"persona_settings\": {\"pathway_id\": \"traced\"}}",
                "traceparent", "00-" + trace + "-00f067aa0ba902b7-01");
        assertThat(answer.status()).isEqualTo(200);

        // The gateway's span continues the caller's trace into the command; the processor's into the outcome and
        // the reply the gateway read.
        for (String topic : List.of(Topics.COMMANDS, Topics.OUTCOMES, Topics.REPLIES + ".gw-1")) {
            assertThat(stack.traceparents(topic)).as(topic).anyMatch(header -> header.startsWith("00-" + trace + "-"));
        }
        // A traceparent that is not one is ignored: the request starts a trace of its own and is served.
        for (String garbage : List.of("00-zz-00f067aa0ba902b7-01",
                "00-" + "0".repeat(32) + "-" + "0".repeat(16) + "-01", "x".repeat(2_000))) {
            assertThat(http.send("PATCH", "/v1/personas/" + persona + "/inbound/" + phone.replace("+", "%2B")
                    + "/settings", org.key(), "{\"persona_settings\": null}", "traceparent", garbage).status())
                    .as("traceparent %s", garbage.length() > 20 ? garbage.substring(0, 20) + "..." : garbage)
                    .isIn(200, 400);
        }
    }

    @Test
    void bothServicesExposeMetricsThatMoveWithTrafficAndTheirHealth() throws Exception {
        String persona = createPersona("measured");
        String phone = newNumber();
        attach(persona, phone);
        String path = "/v1/personas/" + persona + "/inbound/" + phone.replace("+", "%2B") + "/settings";
        String route = "route=\"/v1/personas/{persona_id}/inbound/{phone_number}/settings\"";
        Scrape gatewayBefore = Scrape.of(stack.gateway.port());
        Scrape processorBefore = Scrape.of(stack.processor.httpPort());

        assertThat(http.send("PATCH", path, org.key(), "{\"persona_settings\": {\"pathway_id\": \"m\"}}").status())
                .isEqualTo(200);
        assertThat(http.send("PATCH", path.replace(persona, UUID.randomUUID().toString()), org.key(),
                "{\"persona_settings\": null}").status()).isEqualTo(404);
        assertThat(http.send("GET", "/v1/personas", "ps_nobody", null).status()).isEqualTo(401);

        // The gateway counts a request once it is answered: the PATCH's line may trail its answer by a moment.
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            Scrape gateway = Scrape.of(stack.gateway.port());
            assertThat(gateway.sum("http_server_requests_seconds_count", route, "status=\"200\"", "method=\"PATCH\"")
                    - gatewayBefore.sum("http_server_requests_seconds_count", route, "status=\"200\"", "method=\"PATCH\""))
                    .isEqualTo(1);
            assertThat(gateway.sum("persona_gateway_auth_failures_total")
                    - gatewayBefore.sum("persona_gateway_auth_failures_total")).isEqualTo(1);
        });
        Scrape gateway = Scrape.of(stack.gateway.port());
        assertThat(gateway.has("http_server_requests_seconds_bucket")).as("latency histograms").isTrue();
        assertThat(gateway.has("persona_gateway_replies_waiting")).isTrue();
        assertThat(gateway.has("persona_gateway_reply_timeouts_total")).isTrue();
        assertThat(gateway.has("jvm_memory_used_bytes")).isTrue();

        Scrape processor = Scrape.of(stack.processor.httpPort());
        String settings = "command=\"UpdatePersonaSettings\"";
        assertThat(processor.sum("persona_commands_total", settings, "outcome=\"success\"")
                - processorBefore.sum("persona_commands_total", settings, "outcome=\"success\"")).isEqualTo(1);
        assertThat(processor.sum("persona_commands_total", settings, "outcome=\"INBOUND_NOT_FOUND\"")
                - processorBefore.sum("persona_commands_total", settings, "outcome=\"INBOUND_NOT_FOUND\"")).isEqualTo(1);
        assertThat(processor.sum("persona_database_commit_seconds_count"))
                .isGreaterThan(processorBefore.sum("persona_database_commit_seconds_count"));
        // A partition's lag is registered once it is fetched, and bound within the binder's 10 s refresh.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).until(() ->
                Scrape.of(stack.processor.httpPort()).has("kafka_consumer_fetch_manager_records_lag"));
        assertThat(processor.has("kafka_stream_thread_process_total")).as("Kafka Streams' own").isTrue();
        // Every metric the provisioned Grafana dashboard queries is there.
        assertThat(Dashboard.read(java.nio.file.Path.of("..", "ops", "grafana", "dashboards", "persona-settings.json"))
                .metrics()).isNotEmpty().allSatisfy(metric -> assertThat(
                        Scrape.of(stack.gateway.port()).has(metric) || Scrape.of(stack.processor.httpPort()).has(metric))
                        .as("%s on either /metrics", metric).isTrue());

        var client = java.net.http.HttpClient.newHttpClient();
        for (String health : List.of("/health/live", "/health/ready")) {
            var answer = client.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://localhost:" + stack.processor.httpPort() + health)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(health + ": " + answer.body()).isEqualTo(200);
        }
        var ready = json(client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                "http://localhost:" + stack.processor.httpPort() + "/health/ready")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body());
        assertThat(ready.get("checks").fieldNames()).toIterable()
                .containsExactly("streams", "kafka", "schema_registry", "database");
        assertThat(http.send("GET", "/health/ready", null, null).body().get("checks").get("schema_registry").asText())
                .isEqualTo("UP");
    }

    @Test
    void aKeyOverItsLimitIs429WithRetryAfterAndAFloodOfMadeUpKeysDoesNotReachTheDatabase() throws Exception {
        GatewayStack.Org limited = stack.org("Limited");
        var first = stack.operator.createKey(limited.id(), "first", null);
        var second = stack.operator.createKey(limited.id(), "second", null);
        var unseen = stack.operator.createKey(limited.id(), "never used before the flood", null);
        try (GatewayApp gateway = stack.startGateway("gw-limits", Map.of(
                "GATEWAY_KEY_RATE_LIMIT", "1",            // one a second, bursts of two
                "GATEWAY_FAILED_AUTH_LIMIT", "5",         // five a minute per address
                "GATEWAY_CLIENT_ADDRESS_HEADER", "X-Forwarded-For"))) {
            HttpClientForTests client = new HttpClientForTests(gateway.port());
            String[] attacker = {"X-Forwarded-For", "198.51.100.1, 203.0.113.9"};

            // Per key: the burst, then 429 in Bland's envelope with Retry-After; the org's other key is not held up.
            List<Integer> statuses = new ArrayList<>();
            HttpClientForTests.Response refused = null;
            for (int i = 0; i < 6; i++) {
                HttpClientForTests.Response response = client.send("GET", "/v1/personas", first.key(), null, attacker);
                statuses.add(response.status());
                if (response.status() == 429) {
                    refused = response;
                }
            }
            assertThat(statuses.subList(0, 2)).containsOnly(200);
            assertThat(refused).as("statuses %s", statuses).isNotNull();
            assertThat(refused.body().get("data").isNull()).isTrue();
            assertThat(refused.body().get("errors").get(0).get("error").asText()).isEqualTo("TOO_MANY_REQUESTS");
            assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1L, 2L);
            assertThat(client.send("GET", "/v1/personas", second.key(), null, attacker).status()).isEqualTo(200);
            // Waiting as told is enough.
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(500))
                    .until(() -> client.send("GET", "/v1/personas", first.key(), null, attacker).status() == 200);

            // Per address: five made-up keys are looked up and refused 401, then the address is answered 429 from
            // memory — 1,000 more made-up keys cost the database nothing.
            long lookupsBefore = gateway.admission().keyLookups();
            for (int i = 0; i < 5; i++) {
                assertThat(client.send("GET", "/v1/personas", "ps_madeup" + UUID.randomUUID(), null, attacker)
                        .status()).isEqualTo(401);
            }
            for (int i = 0; i < 1_000; i++) {
                HttpClientForTests.Response flood = client.send("PATCH",
                        "/v1/personas/" + UUID.randomUUID() + "/inbound/%2B14155550000/settings",
                        "ps_madeup" + UUID.randomUUID(), "{}", attacker);
                assertThat(flood.status()).isEqualTo(429);
                assertThat(flood.body().get("errors").get(0).get("error").asText()).isEqualTo("TOO_MANY_REQUESTS");
            }
            assertThat(gateway.admission().keyLookups() - lookupsBefore).isEqualTo(5);
            // ... and are answered by Jetty, before the servlet and Javalin.
            assertThat(gateway.admission().refusedBeforeTheServlet()).isGreaterThanOrEqualTo(1_000);
            // A key the gateway already knows still works from that address; one it would have to look up waits.
            assertThat(client.send("GET", "/v1/personas", second.key(), null, attacker).status()).isEqualTo(200);
            assertThat(client.send("GET", "/v1/personas", unseen.key(), null, attacker).status()).isEqualTo(429);
            // Another address is not held up by this one's failures.
            assertThat(client.send("GET", "/v1/personas", unseen.key(), null, "X-Forwarded-For", "192.0.2.44")
                    .status()).isEqualTo(200);
        }
    }

    @Test
    void aRevokedOrExpiredKeyIsRefusedWithinTheKeyCheckInterval() throws Exception {
        Duration check = Duration.ofMillis(500);
        GatewayStack.Org owner = stack.org("Revoking");
        var revoked = stack.operator.createKey(owner.id(), "to revoke", null);
        var expiring = stack.operator.createKey(owner.id(), "to expire", java.time.Instant.now().plusSeconds(3));
        try (GatewayApp gateway = stack.startGateway("gw-keys", Map.of("GATEWAY_KEY_CHECK_MS", String.valueOf(check.toMillis())))) {
            HttpClientForTests client = new HttpClientForTests(gateway.port());
            assertThat(client.send("GET", "/v1/personas", revoked.key(), null).status()).isEqualTo(200);
            assertThat(client.send("GET", "/v1/personas", expiring.key(), null).status()).isEqualTo(200);

            stack.operator.revokeKey(revoked.id());
            long revokedAt = System.nanoTime();
            // The key is checked again in the background once its lookup is older than the interval: the request
            // that notices is still served, the ones after it are refused.
            await().atMost(check.multipliedBy(4).plusSeconds(2)).pollInterval(Duration.ofMillis(50))
                    .until(() -> client.send("GET", "/v1/personas", revoked.key(), null).status() == 401);
            assertThat(Duration.ofNanos(System.nanoTime() - revokedAt)).isLessThan(check.multipliedBy(4).plusSeconds(2));
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .until(() -> client.send("GET", "/v1/personas", expiring.key(), null).status() == 401);
            assertThat(client.send("GET", "/v1/personas", owner.key(), null).status()).as("the org's other key").isEqualTo(200);
        }
        assertThat(stack.db.accounts().keys(owner.id())).extracting(k -> k.label())
                .containsExactly(null, "to revoke", "to expire");
    }

    @Test
    void twoGatewayInstancesEachGetTheirOwnReplies() throws Exception {
        String persona = createPersona("busy");
        List<String> phones = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            phones.add(newNumber());
        }
        attach(persona, phones.toArray(String[]::new));
        try (GatewayApp second = stack.startGateway("gw-2", Map.of())) {
            List<HttpClientForTests> clients = List.of(http, new HttpClientForTests(second.port()));
            List<CompletableFuture<HttpClientForTests.Response>> calls = new ArrayList<>();
            for (int i = 0; i < phones.size(); i++) {
                HttpClientForTests client = clients.get(i % 2);
                String body = "{\"persona_settings\": {\"pathway_id\": \"request-" + i + "\"}}";
                String path = settingsPath(persona, phones.get(i));
                calls.add(CompletableFuture.supplyAsync(() -> client.send("PATCH", path, org.key(), body)));
            }
            for (int i = 0; i < calls.size(); i++) {
                var response = calls.get(i).get();
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.body().get("data").get("phone_number").asText()).isEqualTo(phones.get(i));
                assertThat(response.body().get("data").get("persona_settings").get("pathway_id").asText())
                        .isEqualTo("request-" + i);
            }
        }
    }

    @Test
    void aPersonaInUseIsNotDeletedUnlessForced() {
        String persona = createPersona("in use");
        String phone = newNumber();
        attach(persona, phone);

        var refused = http.send("DELETE", "/v1/personas/" + persona, org.key(), null);
        assertThat(refused.status()).isEqualTo(409);
        JsonNode error = refused.body().get("errors").get(0);
        assertThat(error.get("error").asText()).isEqualTo("PERSONA_IN_USE");
        assertThat(error.get("details").get("phone_numbers_using").get(0).asText()).isEqualTo(phone);

        var forced = http.send("DELETE", "/v1/personas/" + persona + "?force=true", org.key(), null);
        assertThat(forced.status()).isEqualTo(200);
        assertThat(forced.body().get("data").get("success").asBoolean()).isTrue();
        assertThat(http.send("GET", "/v1/personas/" + persona, org.key(), null).status()).isEqualTo(404);
        assertThat(stack.db.numbers().attachedTo(org.id(), persona)).isEmpty();
    }

    @Test
    void everyEndpointAnswersTheSameWhenPolledAsWhenWaitedFor() {
        String persona = createPersona("same answers");
        String phone = newNumber();
        String second = newNumber();
        attach(persona, phone);
        String body = "{\"inbound_numbers\": [\"" + second + "\"]}";
        List<String[]> calls = List.of(
                new String[]{"PATCH", settingsPath(persona, phone), "{\"persona_settings\": {\"pathway_id\": \"same\"}}"},
                new String[]{"PATCH", settingsPath(UUID.randomUUID().toString(), phone), "{\"persona_settings\": null}"},
                new String[]{"POST", "/v1/personas/" + persona + "/inbound/attach", body},
                new String[]{"POST", "/v1/personas/" + persona + "/inbound/detach", body});
        for (String[] call : calls) {
            String key = "same-" + UUID.randomUUID();
            var polled = asyncThenPolled(call[0], call[1], call[2], key);
            // The same request again, waited for: the same idempotency key makes it the same commands, answered
            // with their first outcomes (and a detach of numbers no longer attached answers the persona at once).
            var waited = http.send(call[0], call[1], org.key(), call[2], "Idempotency-Key", key);
            assertThat(waited.status()).as(call[0] + " " + call[1]).isEqualTo(polled.status());
            assertThat(waited.body()).as(call[0] + " " + call[1]).isEqualTo(polled.body());
        }

        // A forced delete cannot be sent twice (the persona is gone): one waited for answers as the polled one.
        String waitedFor = createPersona("deleted, waited for");
        attach(waitedFor, newNumber());
        var waited = http.send("DELETE", "/v1/personas/" + waitedFor + "?force=true", org.key(), null);
        var polled = asyncThenPolled("DELETE", "/v1/personas/" + persona + "?force=true", null, "same-delete");
        assertThat(polled.status()).isEqualTo(waited.status()).isEqualTo(200);
        assertThat(polled.body()).isEqualTo(waited.body());
        assertThat(stack.db.numbers().attachedTo(org.id(), persona)).isEmpty();
    }

    /**
     * Sends a request with {@code Prefer: respond-async}, checks its 202, and polls its status URL until it is
     * done; every poll before that must be the same 202.
     */
    private static HttpClientForTests.Response asyncThenPolled(String method, String path, String body, String key) {
        var accepted = http.send(method, path, org.key(), body, "Prefer", "respond-async", "Idempotency-Key", key);
        assertThat(accepted.status()).as(method + " " + path + ": " + accepted.body()).isEqualTo(202);
        JsonNode pending = accepted.body().get("data");
        assertThat(pending.get("status").asText()).isEqualTo("pending");
        assertThat(pending.get("command_ids")).isNotEmpty();
        String location = accepted.header("Location");
        assertThat(location).isEqualTo("/v1/requests/" + pending.get("request_id").asText());
        return await().atMost(Duration.ofSeconds(30)).until(() -> {
            var poll = http.send("GET", location, org.key(), null);
            if (poll.status() == 202) {
                assertThat(poll.body()).isEqualTo(accepted.body());
                assertThat(poll.header("Location")).isEqualTo(location);
            }
            return poll;
        }, poll -> poll.status() != 202);
    }

    @Test
    void aForcedDeleteCompletesThoughTheCallerDoesNotWait() {
        String persona = createPersona("deleted, not waited for");
        List<String> phones = List.of(newNumber(), newNumber(), newNumber());
        attach(persona, phones.toArray(String[]::new));

        var accepted = http.send("DELETE", "/v1/personas/" + persona + "?force=true", org.key(), null,
                "Prefer", "respond-async");

        assertThat(accepted.status()).isEqualTo(202);
        // Gone at once for every request, though its numbers are still being detached.
        assertThat(http.send("GET", "/v1/personas/" + persona, org.key(), null).status()).isEqualTo(404);
        var attachToDeleted = http.send("POST", "/v1/personas/" + persona + "/inbound/attach", org.key(),
                "{\"inbound_numbers\": [\"" + newNumber() + "\"]}");
        assertThat(attachToDeleted.status()).isEqualTo(404);
        assertThat(code(attachToDeleted)).isEqualTo("PERSONA_NOT_FOUND");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> stack.db.numbers().attachedTo(org.id(), persona).isEmpty());
    }

    @Test
    void noNumberIsEverAttachedToADeletedPersona() throws Exception {
        // Another service attaches a number to a persona after the persona was deleted: refused, as over HTTP.
        String deleted = createPersona("deleted first");
        assertThat(http.send("DELETE", "/v1/personas/" + deleted, org.key(), null).status()).isEqualTo(200);
        String late = newNumber();
        UUID lateAttach = attachOverKafka(late, deleted);
        var refused = await().atMost(Duration.ofSeconds(30))
                .until(() -> http.send("GET", "/v1/commands/" + lateAttach, org.key(), null), r -> r.status() != 404
                        || !"COMMAND_NOT_FOUND".equals(code(r)));
        assertThat(refused.status()).isEqualTo(404);
        assertThat(code(refused)).isEqualTo("PERSONA_NOT_FOUND");
        assertThat(stack.db.numbers().attachedTo(org.id(), deleted)).isEmpty();

        // Attaches racing forced deletes, over HTTP (checked before the delete, processed after it, or the other
        // way round) and from another service over Kafka.
        List<String> personas = new ArrayList<>();
        List<UUID> kafkaAttaches = new ArrayList<>();
        List<CompletableFuture<HttpClientForTests.Response>> deletes = new ArrayList<>();
        List<CompletableFuture<HttpClientForTests.Response>> attaches = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String persona = createPersona("raced " + i);
            attach(persona, newNumber());
            String racing = newNumber();
            String racingOverKafka = newNumber();
            personas.add(persona);
            attaches.add(CompletableFuture.supplyAsync(() -> http.send("POST", "/v1/personas/" + persona
                    + "/inbound/attach", org.key(), "{\"inbound_numbers\": [\"" + racing + "\"]}")));
            deletes.add(CompletableFuture.supplyAsync(() -> http.send("DELETE", "/v1/personas/" + persona
                    + "?force=true", org.key(), null)));
            kafkaAttaches.add(attachOverKafka(racingOverKafka, persona));
        }
        CompletableFuture.allOf(deletes.toArray(CompletableFuture[]::new)).get(60, java.util.concurrent.TimeUnit.SECONDS);
        CompletableFuture.allOf(attaches.toArray(CompletableFuture[]::new)).get(60, java.util.concurrent.TimeUnit.SECONDS);
        personas.add(deleted);

        // A delete answered 200 has been retired in every partition: nothing is attached, at once, not eventually.
        assertThat(deletes).allSatisfy(d -> assertThat(d.join().status()).as(d.join().body().toString()).isEqualTo(200));
        assertThat(attaches).allSatisfy(a -> assertThat(a.join().status()).isIn(200, 404));
        for (String persona : personas) {
            assertThat(stack.db.numbers().attachedTo(org.id(), persona)).as(persona).isEmpty();
        }
        // Nor later: the attaches over Kafka processed after a retirement were refused, the others detached by it.
        for (UUID id : kafkaAttaches) {
            await().atMost(Duration.ofSeconds(30)).until(() -> http.send("GET", "/v1/commands/" + id, org.key(), null),
                    r -> r.status() == 200 || "PERSONA_NOT_FOUND".equals(code(r)));
        }
        for (String persona : personas) {
            assertThat(stack.db.numbers().attachedTo(org.id(), persona)).as(persona).isEmpty();
            assertThat(http.send("GET", "/v1/personas/" + persona, org.key(), null).status()).isEqualTo(404);
        }
        var history = http.send("GET", "/v1/personas/" + PERSONA + "/inbound/" + late.replace("+", "%2B") + "/history",
                org.key(), null).body().get("data");
        assertThat(history.get(0).get("outcome").get("errors").get(0).get("error").asText())
                .isEqualTo("PERSONA_NOT_FOUND");
    }

    @Test
    void aDeletionWhoseRetirementsWereNeverSentIsFinishedByTheSweeper() {
        // A gateway that died between marking the persona deleted and publishing, or a deletion from before
        // retirements existed: the row says deleted, the processor was never told.
        String persona = createPersona("deleted, never retired");
        String phone = newNumber();
        attach(persona, phone);
        stack.execute("update personas set deleted_at = now() - interval '1 minute' where id = ?::uuid", persona);

        await().atMost(Duration.ofSeconds(30))
                .until(() -> stack.db.numbers().attachedTo(org.id(), persona).isEmpty());
        UUID late = attachOverKafka(phone, persona);
        var refused = await().atMost(Duration.ofSeconds(30))
                .until(() -> http.send("GET", "/v1/commands/" + late, org.key(), null), r -> r.status() != 404
                        || !"COMMAND_NOT_FOUND".equals(code(r)));
        assertThat(code(refused)).isEqualTo("PERSONA_NOT_FOUND");
        var history = http.send("GET", "/v1/personas/" + PERSONA + "/inbound/" + phone.replace("+", "%2B")
                + "/history", org.key(), null).body().get("data");
        assertThat(history.get(1).get("actor").asText()).isEqualTo("gateway:persona-sweeper");
    }

    @Test
    void aPersonaThisApiNeverCreatedIsRetiredOnceANumberIsAttachedToIt() {
        // Another service attaches a number over Kafka to a persona id no persona has.
        String madeUp = UUID.randomUUID().toString();
        String phone = newNumber();
        UUID attached = attachOverKafka(phone, madeUp);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> http.send("GET", "/v1/commands/" + attached, org.key(), null).status() == 200);

        await().atMost(Duration.ofSeconds(30))
                .until(() -> stack.db.numbers().attachedTo(org.id(), madeUp).isEmpty());
        UUID again = attachOverKafka(phone, madeUp);
        var refused = await().atMost(Duration.ofSeconds(30))
                .until(() -> http.send("GET", "/v1/commands/" + again, org.key(), null), r -> r.status() != 404
                        || !"COMMAND_NOT_FOUND".equals(code(r)));
        assertThat(code(refused)).isEqualTo("PERSONA_NOT_FOUND");
    }

    /** Another service's attach, straight to the commands topic; its command id. */
    private static UUID attachOverKafka(String phone, String persona) {
        UUID id = UUID.randomUUID();
        stack.send(com.personasettings.schemas.InboundCommand.newBuilder()
                .setCommandId(id).setOrgId(org.id().toString())
                .setIssuedAt(java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS))
                .setActor("service:late").setPhoneNumber(phone)
                .setPayload(new com.personasettings.schemas.AttachToPersona(persona)).build());
        return id;
    }

    @Test
    void valuesTheRulesRefuseAre400AtTheGatewayAndNeverReachKafka() {
        String persona = createPersona("values");
        String phone = newNumber();
        attach(persona, phone);
        long before = stack.commandsWritten();

        for (String settings : List.of(
                "{\"pathway_id\": \"\\u0000\"}",
                "{\"pathway_id\": \"tab\\there\"}",
                "{\"start_node_id\": \"half \\ud800 a pair\"}",
                "{\"start_node_id\": \"   \"}",
                "{\"pathway_id\": \"" + "\\ud83d\\ude00".repeat(256) + "\"}",
                "{\"pathway_version\": -1}",
                "{\"pathway_version\": 9223372036854775808}",
                "{\"pathway_version\": 1e3}")) {
            assertInvalid(http.send("PATCH", settingsPath(persona, phone), org.key(), "{\"persona_settings\": " + settings + "}"),
                    "persona_settings.");
        }
        // Issue 11's request: any persona, any number, even one that does not exist.
        assertInvalid(http.send("PATCH", SEED_PATH.replace("4155551234", "9998887777"), org.key(),
                "{\"persona_settings\": {\"pathway_id\": \"\\u0000\"}}"), "persona_settings.pathway_id");
        assertInvalid(http.send("PATCH", "/v1/personas/" + persona.toUpperCase() + "x/inbound/" + phone.replace("+", "%2B")
                + "/settings", org.key(), "{\"persona_settings\": null}"), "persona_id");

        assertThat(stack.commandsWritten()).as("records on the commands topic").isEqualTo(before);
        var fine = http.send("PATCH", settingsPath(persona.toUpperCase(), phone), org.key(),
                "{\"persona_settings\": {\"pathway_id\": \"\\ud83d\\ude00 ok\", \"pathway_version\": 0}}");
        assertThat(fine.status()).as(String.valueOf(fine.body())).isEqualTo(200);
        assertThat(fine.body().get("data").get("persona_settings").get("pathway_id").asText()).isEqualTo("\ud83d\ude00 ok");
    }

    @Test
    void aPersonaNameOrDescriptionPostgresCannotHoldIs400() {
        assertInvalid(http.send("POST", "/v1/personas", org.key(), "{\"name\": \"nul\\u0000\"}"), "name");
        assertInvalid(http.send("POST", "/v1/personas", org.key(), "{\"name\": \"ok\", \"description\": \"\\udc00\"}"),
                "description");
        assertInvalid(http.send("POST", "/v1/personas", org.key(), "{\"name\": \"" + "n".repeat(256) + "\"}"), "name");
        assertInvalid(http.send("POST", "/v1/personas", org.key(), "{\"name\": \"ok\", \"description\": \""
                + "d".repeat(1021) + "\"}"), "description");
        var fine = http.send("POST", "/v1/personas", org.key(), "{\"name\": \"" + "n".repeat(255) + "\", \"description\": \""
                + "d".repeat(1020) + "\"}");
        assertThat(fine.status()).isEqualTo(200);
    }

    @Test
    void concurrentRequestsWithTheSameIdempotencyKeyAllGetTheFirstAnswer() throws Exception {
        String persona = createPersona("same key");
        String phone = newNumber();
        attach(persona, phone);
        String body = "{\"persona_settings\": {\"pathway_id\": \"once\"}}";

        List<CompletableFuture<HttpClientForTests.Response>> calls = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            calls.add(CompletableFuture.supplyAsync(() -> http.send("PATCH", settingsPath(persona, phone), org.key(), body,
                    "Idempotency-Key", "shared-key")));
        }
        JsonNode first = null;
        for (CompletableFuture<HttpClientForTests.Response> call : calls) {
            var response = call.get();
            assertThat(response.status()).as(String.valueOf(response.body())).isEqualTo(200);
            first = first == null ? response.body() : first;
            assertThat(response.body()).isEqualTo(first);
        }
        assertThat(stack.gateway.replies().waiting()).as("requests still waiting for replies").isZero();
    }

    @Test
    void garbageOnTheReplyTopicDoesNotStopTheReplyConsumer() throws Exception {
        String persona = createPersona("garbage");
        String phone = newNumber();
        attach(persona, phone);
        try (GatewayApp gateway = stack.startGateway("gw-garbage", Map.of("GATEWAY_REPLY_TIMEOUT_MS", "10000"))) {
            String replies = "persona.inbound.replies.gw-garbage";
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                    "bootstrap.servers", stack.bootstrapServers), new ByteArraySerializer(), new ByteArraySerializer())) {
                byte[] correlation = UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8);
                for (byte[] value : List.of("not avro at all".getBytes(StandardCharsets.UTF_8),
                        new byte[]{0, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xfe, 1, 2, 3}, new byte[]{0})) {
                    ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(replies, null, value);
                    record.headers().add("correlation-id", correlation);
                    producer.send(record).get();
                }
            }
            var client = new HttpClientForTests(gateway.port());

            long start = System.nanoTime();
            var patched = client.send("PATCH", settingsPath(persona, phone), org.key(),
                    "{\"persona_settings\": {\"pathway_id\": \"after garbage\"}}");

            assertThat(patched.status()).as(String.valueOf(patched.body())).isEqualTo(200);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
            assertThat(gateway.replies().skipped()).isEqualTo(3);
            assertThat(client.send("GET", "/health/ready", null, null).status()).isEqualTo(200);
        }
    }

    @Test
    void requestsJettyRefusesBeforeRoutingAreAnsweredInBlandsEnvelope() {
        int port = stack.gateway.port();
        Map<String, Integer> expected = new LinkedHashMap<>();
        expected.put("GET /v1/commands/J+B7yXTtd>;wp%P7QB HTTP/1.1", 400);
        expected.put("GET /v1/personas/%zz HTTP/1.1", 400);
        expected.put("GET /v1/personas/a%2Fb HTTP/1.1", 400);
        expected.put("GET /v1/personas/%2e%2e/x HTTP/1.1", 404); // resolves to /v1/x
        expected.put("GET /v1/personas/x%00y HTTP/1.1", 400);
        expected.put("GET /v1/../../etc/passwd HTTP/1.1", 400);
        expected.put("GET /v1/personas\\x HTTP/1.1", 400);
        expected.put("GET /v1/personas/\u00e9 HTTP/1.1", 400);
        expected.put("GET /v1/persona;s=1 HTTP/1.1", 404);
        expected.put("G@T /v1/personas HTTP/1.1", 400);
        expected.put("GET /v1/personas HTTP/7.0", 400);
        expected.put("GET /v1/personas HTTP/1.1\r\nX-Big: " + "a".repeat(20_000), 431);
        expected.put("GET /" + "a".repeat(20_000) + " HTTP/1.1", 414);
        expected.put("BREW /v1/personas HTTP/1.1", 405);
        SoftAssertions softly = new SoftAssertions();
        for (Map.Entry<String, Integer> request : expected.entrySet()) {
            String head = request.getKey() + "\r\nHost: localhost\r\nauthorization: " + org.key();
            RawHttp.Response response = RawHttp.send(port, head);
            String shown = (head.length() > 60 ? head.substring(0, 60) + "..." : head).replace("\r\n", " | ")
                    + " -> " + response.status() + " " + response.headers().get("content-type") + " " + response.body();
            softly.assertThat(response.status()).as(shown).isEqualTo(request.getValue());
            softly.assertThat(response.headers().get("content-type")).as(shown).startsWith("application/json");
            if (!String.valueOf(response.headers().get("content-type")).startsWith("application/json")) {
                continue;
            }
            JsonNode body = response.json();
            softly.assertThat(body.get("data").isNull()).as(shown).isTrue();
            softly.assertThat(body.get("errors").get(0).get("error").asText()).as(shown)
                    .isEqualTo(switch (request.getValue()) {
                        case 404 -> "NOT_FOUND";
                        case 405 -> "METHOD_NOT_ALLOWED";
                        case 414 -> "URI_TOO_LONG";
                        case 431 -> "HEADERS_TOO_LARGE";
                        default -> "INVALID_REQUEST";
                    });
            softly.assertThat(body.get("errors").get(0).get("message").asText()).as(shown).isNotBlank();
        }
        softly.assertAll();
        assertThat(RawHttp.send(port, "GET /health/live HTTP/1.1\r\nHost: localhost").status()).isEqualTo(200);
    }

    private static void attach(String persona, String... phones) {
        String body = "{\"inbound_numbers\": [" + String.join(", ", List.of(phones).stream().map(p -> "\"" + p + "\"").toList()) + "]}";
        var response = http.send("POST", "/v1/personas/" + persona + "/inbound/attach", org.key(), body);
        assertThat(response.status()).as(response.body().toString()).isEqualTo(200);
    }

    private static String createPersona(String name) {
        return createPersona(name, org);
    }

    private static String createPersona(String name, GatewayStack.Org owner) {
        var response = http.send("POST", "/v1/personas", owner.key(), "{\"name\": \"" + name + "\"}");
        assertThat(response.status()).isEqualTo(200);
        return response.body().get("data").get("id").asText();
    }

    private static String newNumber() {
        String phone = "+1415555" + NEXT_NUMBER.getAndIncrement();
        stack.provision(org, phone, null);
        return phone;
    }

    private static String settingsPath(String persona, String phone) {
        return "/v1/personas/" + persona + "/inbound/" + phone.replace("+", "%2B") + "/settings";
    }

    private static String code(HttpClientForTests.Response response) {
        return response.body().get("errors").get(0).get("error").asText();
    }

    private static void assertInvalid(HttpClientForTests.Response response, String mentions) {
        assertThat(response.status()).as(String.valueOf(response.body())).isEqualTo(400);
        assertThat(response.body().get("data").isNull()).isTrue();
        assertThat(code(response)).isEqualTo("INVALID_REQUEST");
        assertThat(response.body().get("errors").get(0).get("message").asText()).contains(mentions);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
