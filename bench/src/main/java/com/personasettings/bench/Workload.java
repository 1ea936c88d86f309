package com.personasettings.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.personasettings.gateway.admin.Operator;

import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.StringRequestContent;

import javax.sql.DataSource;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A realistic PATCH mix on many numbers and personas of one org, set up the way a customer's would be:
 * numbers provisioned by the operator, personas created and numbers attached through the HTTP API.
 * Of every 100 requests, 85 change or clear settings, 10 name a persona the number is not attached to
 * (404 INBOUND_NOT_FOUND, decided by the processor, so it travels the whole path like the rest; with
 * {@code Prefer: respond-async} it is a 202 too, and the error is in the command's outcome) and 5 ask for a
 * negative pathway version (a 400 the gateway answers while reading the body: no command is sent).
 *
 * <p>Requests go through Jetty's asynchronous HTTP client: the generator shares the machine with what it
 * measures, and the JDK's client spent far more CPU and lock time per request (its connection pool is one
 * contended monitor; and on two cores, where the common pool has parallelism 1, {@code sendAsync}
 * completed every response on a new thread).
 */
public final class Workload implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ATTACH_LIMIT = 100;
    /** Connections to the gateway at most; requests beyond them wait in the client, timed all the same. */
    private static final int MAX_CONNECTIONS = 512;
    /**
     * Keys the org's requests are spread over, as a customer's several services would: 2,000 requests a second
     * (the README's async example) stay within the gateway's default limit of 1,000 per key.
     */
    private static final int KEYS = 4;

    /**
     * What a workload is made of, to run it from another process (the bench's load generator) or against another
     * server with the same API (the bench's peer).
     *
     * @param base    the server the requests go to
     * @param keys    API keys of the org, used in turn
     * @param numbers the org's numbers, attached in chunks of 100 to the personas in turn
     */
    public record Spec(URI base, UUID org, List<String> keys, List<String> personas, List<String> numbers) {

        public Spec {
            keys = List.copyOf(keys);
            personas = List.copyOf(personas);
            numbers = List.copyOf(numbers);
        }

        /** The same workload sent to another server. */
        public Spec at(URI server) {
            return new Spec(server, org, keys, personas, numbers);
        }

        /** The persona number {@code i} is attached to (attached in chunks of 100, round robin). */
        public String personaOf(int number) {
            return personas.get(number / ATTACH_LIMIT % personas.size());
        }
    }

    private final HttpClient http;
    private final AtomicLong sent = new AtomicLong();
    private final Spec spec;

    private Workload(HttpClient http, Spec spec) {
        this.http = http;
        this.spec = spec;
    }

    /** Requests of {@code spec}, from a client of their own. */
    public static Workload of(Spec spec) throws Exception {
        return new Workload(client(), spec);
    }

    private static HttpClient client() throws Exception {
        HttpClient http = new HttpClient();
        http.setConnectTimeout(5_000);
        // Open loop: a request is sent when due, not when a connection frees up, so allow many connections
        // and queue what the generator has in flight at most. But not thousands of connections: Jetty's
        // pool looks for a free one by scanning, which a JFR recording showed eating the generator's share
        // of the CPU once a backlog formed.
        http.setMaxConnectionsPerDestination(MAX_CONNECTIONS);
        http.setMaxRequestsQueuedPerDestination(OpenLoop.MAX_IN_FLIGHT);
        http.start();
        return http;
    }

    /**
     * Creates an org with {@code personaCount} personas and {@code numberCount} numbers, spread evenly over the
     * personas, and waits until every number is attached.
     */
    public static Workload setUp(Operator operator, DataSource database, URI base, int personaCount, int numberCount)
            throws Exception {
        UUID org = operator.createOrg("bench " + java.time.Instant.now());
        List<String> keys = new ArrayList<>();
        for (int k = 0; k < KEYS; k++) {
            keys.add(operator.createKey(org));
        }
        // Numbers unique to this run: +1, four random digits, six of index.
        int prefix = 1_000 + new Random().nextInt(9_000);
        List<String> numbers = new ArrayList<>();
        List<CompletableFuture<?>> provisioned = new ArrayList<>();
        for (int i = 0; i < numberCount; i++) {
            String number = String.format("+1%04d%06d", prefix, i);
            numbers.add(number);
            provisioned.add(operator.provision(org, number, "bench line " + i, null).written());
        }
        CompletableFuture.allOf(provisioned.toArray(CompletableFuture[]::new)).join();
        awaitCount(database, "select count(*) from inbound_numbers where org_id = ?", org, numberCount);

        HttpClient http = client();
        Workload unattached = new Workload(http, new Spec(base, org, keys, List.of(), numbers));
        List<String> personas = new ArrayList<>();
        for (int p = 0; p < personaCount; p++) {
            String body = unattached.send("POST", "/v1/personas", "{\"name\": \"bench persona " + p + "\"}")
                    .getContentAsString();
            personas.add(JSON.readTree(body).path("data").path("id").asText());
        }
        Workload workload = new Workload(http, new Spec(base, org, keys, personas, numbers));
        for (int from = 0; from < numberCount; from += ATTACH_LIMIT) {
            List<String> chunk = numbers.subList(from, Math.min(numberCount, from + ATTACH_LIMIT));
            ContentResponse attached = workload.send("POST", "/v1/personas/" + workload.spec.personaOf(from)
                    + "/inbound/attach", JSON.writeValueAsString(java.util.Map.of("inbound_numbers", chunk)));
            if (attached.getStatus() != 200) {
                throw new IllegalStateException("attaching bench numbers failed: " + attached.getContentAsString());
            }
        }
        awaitCount(database, "select count(*) from inbound_numbers where org_id = ? and persona_id is not null", org,
                numberCount);
        return workload;
    }

    public Spec spec() {
        return spec;
    }

    public UUID org() {
        return spec.org();
    }

    /** One request of the mix; completes with the HTTP status. */
    public CompletableFuture<Integer> patch(boolean async) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        List<String> numbers = spec.numbers();
        List<String> personas = spec.personas();
        int n = random.nextInt(numbers.size());
        int kind = random.nextInt(100);
        String persona = kind >= 85 && kind < 95 && personas.size() > 1
                ? personas.get((personas.indexOf(spec.personaOf(n)) + 1) % personas.size()) : spec.personaOf(n);
        String body = kind >= 95 ? "{\"persona_settings\": {\"pathway_version\": -1}}" : settings(random);
        String path = "/v1/personas/" + persona + "/inbound/"
                + URLEncoder.encode(numbers.get(n), StandardCharsets.UTF_8) + "/settings";
        Request request = request("PATCH", path, body);
        if (async) {
            request.headers(headers -> headers.put("Prefer", "respond-async"));
        }
        return status(request);
    }

    /**
     * The bench peer's trivial authenticated request ({@code GET /v1/ping}): what the HTTP stack and the key check
     * cost alone. Completes with the HTTP status.
     */
    public CompletableFuture<Integer> ping() {
        return status(http.newRequest(spec.base().resolve("/v1/ping")).method("GET").timeout(30, TimeUnit.SECONDS)
                .headers(headers -> headers.put("authorization", nextKey())));
    }

    private static CompletableFuture<Integer> status(Request request) {
        CompletableFuture<Integer> status = new CompletableFuture<>();
        request.send(result -> {
            if (result.isFailed()) {
                status.completeExceptionally(result.getFailure());
            } else {
                status.complete(result.getResponse().getStatus());
            }
        });
        return status;
    }

    private static String settings(ThreadLocalRandom random) {
        return switch (random.nextInt(10)) {
            case 0 -> "{\"persona_settings\": null}";
            case 1, 2, 3 -> "{\"persona_settings\": {\"pathway_id\": \"pathway_" + random.nextInt(50)
                    + "\", \"pathway_version\": " + random.nextInt(10) + ", \"start_node_id\": \"node_"
                    + random.nextInt(20) + "\"}}";
            case 4, 5, 6 -> "{\"persona_settings\": {\"start_node_id\": \"node_" + random.nextInt(20) + "\"}}";
            default -> "{\"persona_settings\": {\"pathway_id\": \"pathway_" + random.nextInt(50) + "\"}}";
        };
    }

    private ContentResponse send(String method, String path, String body) throws Exception {
        return request(method, path, body).send();
    }

    private Request request(String method, String path, String body) {
        return http.newRequest(spec.base().resolve(path))
                .method(method)
                .timeout(30, TimeUnit.SECONDS)
                .headers(headers -> headers.put("authorization", nextKey()))
                .body(new StringRequestContent("application/json", body));
    }

    private String nextKey() {
        return spec.keys().get((int) (sent.getAndIncrement() % spec.keys().size()));
    }

    @Override
    public void close() throws Exception {
        http.stop();
    }

    /** Waits for the processor to record what was sent (it arrives through Kafka). */
    static void awaitCount(DataSource database, String sql, UUID org, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (count(database, sql, org) < expected) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("still fewer than " + expected + " after 5 minutes: " + sql);
            }
            Thread.sleep(100); // polling the processor's table; the bench's clocks do not depend on it
        }
    }

    static long count(DataSource database, String sql, UUID org) {
        try (var connection = database.getConnection(); var statement = connection.prepareStatement(sql)) {
            statement.setObject(1, org); // a UUID: org_id is a uuid column
            try (var rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
