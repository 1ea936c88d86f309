package com.personasettings.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Generated requests through the running gateway (real broker, processor, PostgreSQL and registry): bodies with
 * any value in any field (NUL, surrogates, 64 KiB strings, huge and negative numbers, wrong types, duplicate keys,
 * deep nesting), paths with any bytes, any headers and content types. Invariants: never a 5xx, always JSON in
 * Bland's envelope, and every 50 requests (and at the end) a valid PATCH still answers 200 within the reply
 * timeout. Tries: jqwik's {@code jqwik.tries.default} (1,000 here; {@code -Djqwik.tries.default=10000} for the
 * long run).
 */
class HttpFuzzIT {

    private static final String PHONE = "+14155557000";

    private static GatewayStack stack;
    private static HttpClientForTests http;
    private static GatewayStack.Org org;
    private static HttpFuzzRequests requests;
    private static final Map<Integer, AtomicLong> statuses = new ConcurrentSkipListMap<>();
    private static final AtomicLong sent = new AtomicLong();
    private static final AtomicLong probes = new AtomicLong();

    @BeforeContainer
    static void start() {
        stack = new GatewayStack("http-fuzz");
        http = new HttpClientForTests(stack.gateway.port());
        org = stack.org("Fuzz");
        stack.provision(org, PHONE, 7000L);
        requests = new HttpFuzzRequests(org.key(), probe(), PHONE);
    }

    @AfterContainer
    static void stop() throws Exception {
        try {
            probe();
            System.out.printf("HTTP fuzz: %,d requests, %,d × 5xx, statuses %s; %,d valid PATCHes answered 200 among them%n",
                    sent.get(), statuses.entrySet().stream().filter(e -> e.getKey() >= 500)
                            .mapToLong(e -> e.getValue().get()).sum(), statuses, probes.get());
        } finally {
            stack.close();
        }
    }

    @Provide
    Arbitrary<HttpFuzzRequests.FuzzRequest> requests() {
        return requests.any();
    }

    @Property
    void neverA5xxAndAlwaysBlandsEnvelope(@ForAll("requests") HttpFuzzRequests.FuzzRequest request) {
        RawHttp.Response response = RawHttp.send(stack.gateway.port(), request.head(), request.body());
        statuses.computeIfAbsent(response.status(), s -> new AtomicLong()).incrementAndGet();

        assertThat(response.status()).as("status of %s: %s", request, response.body()).isLessThan(500);
        if (!request.method().equals("HEAD")) {
            assertThat(response.headers().get("content-type")).as("content type of %s", request)
                    .startsWith("application/json");
            JsonNode body = response.json();
            assertThat(body.has("data") && body.has("errors")).as("envelope of %s: %s", request, body).isTrue();
            if (response.status() >= 400) {
                assertThat(body.get("data").isNull()).isTrue();
                assertThat(body.get("errors").get(0).get("error").asText()).isNotBlank();
                assertThat(body.get("errors").get(0).get("message").asText()).isNotBlank();
            } else {
                assertThat(body.get("errors").isNull()).as("errors of a %d: %s", response.status(), body).isTrue();
            }
        }
        if (sent.incrementAndGet() % 50 == 0) {
            probe();
        }
    }

    /**
     * A valid PATCH must still work: on a new persona (the fuzzed requests may have deleted or detached
     * anything), to which the number is attached first. Returns the persona.
     */
    private static String probe() {
        var persona = http.send("POST", "/v1/personas", org.key(), "{\"name\": \"probe\"}");
        assertThat(persona.status()).isEqualTo(200);
        String id = persona.body().get("data").get("id").asText();
        var attached = http.send("POST", "/v1/personas/" + id + "/inbound/attach", org.key(),
                "{\"inbound_numbers\": [\"" + PHONE + "\"]}");
        assertThat(attached.status()).as("attach: %s", attached.body()).isEqualTo(200);
        var patched = http.send("PATCH", "/v1/personas/" + id + "/inbound/%2B" + PHONE.substring(1) + "/settings",
                org.key(), "{\"persona_settings\": {\"pathway_id\": \"probe_" + probes.get() + "\"}}");
        assertThat(patched.status()).as("PATCH: %s", patched.body()).isEqualTo(200);
        assertThat(patched.body().get("data").get("persona_settings").get("pathway_id").asText())
                .isEqualTo("probe_" + probes.getAndIncrement());
        return id;
    }
}
