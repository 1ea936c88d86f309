package com.personasettings.schemas.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.Schema;
import org.apache.kafka.common.errors.InterruptException;

/**
 * A small client for the Confluent Schema Registry REST API, enough for the Avro serdes: register a
 * schema, fetch a schema by id, set and check compatibility.
 *
 * <p>It speaks only the Confluent API, so it works against Confluent's registry, Apicurio's
 * compatibility endpoint ({@code http://host:port/apis/ccompat/v6}), Karapace and Redpanda alike. We
 * write it ourselves because Confluent's client is not on Maven Central.
 *
 * <p>Thread-safe: Kafka Streams shares one serde, and so one client, between its stream threads. Ids
 * and schemas never change once the registry has given them out, so both caches are kept forever.
 */
public final class SchemaRegistryClient {

    /** The media type of the Confluent API, version 1. */
    public static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    /** Confluent error codes for "no such subject" and "no such version" (Apicurio uses the same). */
    private static final int SUBJECT_NOT_FOUND = 40401;
    private static final int VERSION_NOT_FOUND = 40402;
    /** Longest registry answer quoted in an exception message. */
    private static final int MAX_QUOTED_BODY = 500;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;
    private final Duration timeout;
    private final HttpClient http;
    private final AtomicLong requests = new AtomicLong();
    private final Map<IdKey, CompletableFuture<Integer>> ids = new ConcurrentHashMap<>();
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();

    /**
     * The cache key of {@link #register} ({@code register} true) and {@link #getId} (false), kept apart
     * so a failed look-up never answers a registration. {@link Schema#equals} is structural and
     * ignores docs: a schema differing only in docs gets the id of the first one.
     */
    private record IdKey(String subject, Schema schema, boolean register) {
    }

    /** A client with {@link #DEFAULT_TIMEOUT} for connecting and for each request. */
    public SchemaRegistryClient(String baseUrl) {
        this(baseUrl, DEFAULT_TIMEOUT);
    }

    /**
     * @param baseUrl e.g. {@code http://localhost:8081} (Confluent) or
     *                {@code http://localhost:8080/apis/ccompat/v6} (Apicurio)
     * @param timeout for connecting and for each whole request
     */
    public SchemaRegistryClient(String baseUrl, Duration timeout) {
        Objects.requireNonNull(baseUrl, "baseUrl");
        URI uri = URI.create(baseUrl.strip());
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
            throw new IllegalArgumentException("Schema registry URL must be http(s): " + baseUrl);
        }
        this.baseUrl = uri.toString().replaceAll("/+$", "");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    public String baseUrl() {
        return baseUrl;
    }

    /** HTTP requests sent so far (answered or not); lets tests prove that the caches work. */
    public long requestCount() {
        return requests.get();
    }

    /**
     * Registers the schema under the subject (a no-op in the registry when it is already there) and
     * returns its global id. Cached: a second call with an equal schema sends nothing.
     *
     * @throws SchemaRegistryException e.g. status 409 when the subject's compatibility rule rejects it
     */
    public int register(String subject, Schema schema) {
        try {
            return cachedId(new IdKey(subject, schema, true));
        } catch (SchemaRegistryException e) {
            if (e.status() != 409) {
                throw e;
            }
            // Apicurio answers 409 "artifact already exists" to the loser of two concurrent first
            // registrations of a subject (Confluent does not), e.g. by two app instances starting
            // together. Asking again then returns the id; an incompatible schema gets 409 again.
            return cachedId(new IdKey(subject, schema, true));
        }
    }

    /**
     * Returns the id of a schema already registered under the subject, without registering it (for
     * producers that must not change the contract, {@code auto.register.schemas=false}). Cached.
     *
     * @throws SchemaRegistryException status 404 when the subject or the schema under it is unknown
     */
    public int getId(String subject, Schema schema) {
        return cachedId(new IdKey(subject, schema, false));
    }

    /**
     * {@code POST /subjects/{subject}/versions} registers; {@code POST /subjects/{subject}} looks up.
     * One request per (subject, schema) however many threads ask at once: the first asks the registry,
     * the others wait for its answer. Besides saving requests this matters for Apicurio, which answers
     * concurrent first registrations of a subject with 409 or even 500.
     */
    private int cachedId(IdKey key) {
        CompletableFuture<Integer> known = ids.get(key);
        if (known == null) {
            CompletableFuture<Integer> mine = new CompletableFuture<>();
            known = ids.putIfAbsent(key, mine);
            if (known == null) {
                return askForId(key, mine);
            }
        }
        try {
            return known.join();
        } catch (CompletionException e) { // the asking thread failed; fail alike
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    private int askForId(IdKey key, CompletableFuture<Integer> answer) {
        String path = "/subjects/" + encode(key.subject()) + (key.register() ? "/versions" : "");
        try {
            JsonNode json = send("POST", path, schemaBody(key.schema()));
            int id = requiredInt(json, "id");
            // We now also know the schema behind the id: a reader in this process needs no GET for it.
            schemasById.putIfAbsent(id, key.schema());
            answer.complete(id);
            return id;
        } catch (RuntimeException e) {
            ids.remove(key, answer); // failures are not cached: the next call asks again
            answer.completeExceptionally(e);
            throw e;
        }
    }

    /**
     * The schema with this global id ({@code GET /schemas/ids/{id}}). Cached.
     *
     * @throws SchemaRegistryException status 404 ({@link SchemaRegistryException#isNotFound()}) when
     *                                 no schema has this id
     */
    public Schema getById(int id) {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        JsonNode answer = send("GET", "/schemas/ids/" + id, null);
        // A new parser per schema: Schema.Parser remembers every name it has seen and is not thread-safe.
        Schema schema = new Schema.Parser().parse(requiredText(answer, "schema"));
        Schema raced = schemasById.putIfAbsent(id, schema);
        return raced != null ? raced : schema;
    }

    /**
     * Sets the subject's compatibility rule ({@code PUT /config/{subject}}), e.g. {@code BACKWARD},
     * {@code FULL_TRANSITIVE} or {@code NONE}.
     */
    /** The registry's subjects: also how to ask whether it answers at all. */
    public java.util.List<String> subjects() {
        JsonNode answer = send("GET", "/subjects", null);
        java.util.List<String> subjects = new java.util.ArrayList<>();
        answer.forEach(subject -> subjects.add(subject.asText()));
        return subjects;
    }

    public void setCompatibility(String subject, String level) {
        send("PUT", "/config/" + encode(subject), JSON.createObjectNode().put("compatibility", level));
    }

    /**
     * Whether the schema may be registered next under the subject, judged against its latest version
     * by the subject's compatibility rule. A subject with no versions yet accepts anything.
     */
    public boolean isCompatible(String subject, Schema schema) {
        JsonNode answer;
        try {
            answer = send("POST", "/compatibility/subjects/" + encode(subject) + "/versions/latest",
                    schemaBody(schema));
        } catch (SchemaRegistryException e) {
            // Only the registry's own "not found" codes mean "no versions yet"; a bare 404 more
            // likely means a wrong base URL, which must not pass as "compatible".
            if (e.isNotFound() && (e.errorCode() == SUBJECT_NOT_FOUND || e.errorCode() == VERSION_NOT_FOUND)) {
                return true;
            }
            throw e;
        }
        JsonNode compatible = answer.get("is_compatible");
        if (compatible == null || !compatible.isBoolean()) {
            throw new IllegalStateException("Registry answer has no is_compatible: " + answer);
        }
        return compatible.booleanValue();
    }

    private static JsonNode schemaBody(Schema schema) {
        // "schemaType" is left out: the Confluent API defaults it to AVRO.
        return JSON.createObjectNode().put("schema", schema.toString());
    }

    /** Sends one request and returns the JSON answer, or throws {@link SchemaRegistryException}. */
    private JsonNode send(String method, String path, JsonNode body) {
        String request = method + " " + baseUrl + path;
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(timeout)
                .header("Accept", CONTENT_TYPE + ", application/json");
        if (body == null) {
            builder.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            builder.header("Content-Type", CONTENT_TYPE)
                    .method(method, HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
        }
        requests.incrementAndGet();
        HttpResponse<String> response;
        try {
            response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) { // includes HttpTimeoutException and connection refused
            throw new SchemaRegistryException(request, e);
        } catch (InterruptedException e) {
            throw new InterruptException(e); // Kafka's unchecked form; it restores the interrupt flag
        }
        JsonNode answer = parseOrNull(response.body());
        int status = response.statusCode();
        if (status / 100 != 2) {
            throw new SchemaRegistryException(request, status, errorCode(answer), errorMessage(answer, response.body()));
        }
        if (answer == null) {
            throw new SchemaRegistryException(request, status, SchemaRegistryException.NO_ERROR_CODE,
                    "answer is not JSON: " + quote(response.body()));
        }
        return answer;
    }

    private static JsonNode parseOrNull(String text) {
        try {
            return text == null || text.isBlank() ? null : JSON.readTree(text);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static int errorCode(JsonNode answer) {
        JsonNode code = answer == null ? null : answer.get("error_code");
        return code != null && code.canConvertToInt() ? code.intValue() : SchemaRegistryException.NO_ERROR_CODE;
    }

    private static String errorMessage(JsonNode answer, String rawBody) {
        JsonNode message = answer == null ? null : answer.get("message");
        return message != null && message.isTextual() ? message.textValue() : quote(rawBody);
    }

    private static String quote(String body) {
        if (body == null) {
            return "(empty)";
        }
        return body.length() <= MAX_QUOTED_BODY ? body : body.substring(0, MAX_QUOTED_BODY) + "...";
    }

    private static int requiredInt(JsonNode answer, String field) {
        JsonNode value = answer.get(field);
        if (value == null || !value.canConvertToInt()) {
            throw new IllegalStateException("Registry answer has no integer " + field + ": " + answer);
        }
        return value.intValue();
    }

    private static String requiredText(JsonNode answer, String field) {
        JsonNode value = answer.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalStateException("Registry answer has no text " + field + ": " + answer);
        }
        return value.textValue();
    }

    /** Percent-encodes a subject for one path segment (URLEncoder writes a space as "+", a path needs %20). */
    private static String encode(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
