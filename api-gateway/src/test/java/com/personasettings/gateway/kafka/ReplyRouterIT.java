package com.personasettings.gateway.kafka;

import com.personasettings.schemas.ApiError;
import com.personasettings.schemas.CommandOutcome;
import com.personasettings.schemas.Topics;
import com.personasettings.schemas.registry.AvroDeserializer;
import com.personasettings.schemas.registry.AvroSerializer;
import com.personasettings.schemas.registry.SchemaRegistryClient;
import com.personasettings.testkit.SharedInfrastructure;
import com.sun.net.httpserver.HttpServer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The reply consumer on a real broker and registry, fed records directly. */
class ReplyRouterIT {

    private static String bootstrapServers;
    private static SchemaRegistryClient registry;
    private static KafkaProducer<String, CommandOutcome> outcomes;
    private static KafkaProducer<byte[], byte[]> bytes;
    private static final AtomicInteger NEXT = new AtomicInteger();

    @BeforeAll
    static void start() {
        bootstrapServers = SharedInfrastructure.kafka().bootstrapServers();
        registry = new SchemaRegistryClient(SharedInfrastructure.registry().url());
        outcomes = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrapServers),
                new StringSerializer(), new AvroSerializer<>(registry));
        bytes = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrapServers),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    @AfterAll
    static void stop() {
        outcomes.close();
        bytes.close();
    }

    @Test
    void requestsSharingACommandIdEachGetTheReplyWhateverTheOtherDoes() throws Exception {
        try (ReplyRouter router = start(registry)) {
            String id = UUID.randomUUID().toString();
            CompletableFuture<CommandOutcome> gaveUp = router.expect(id);
            CompletableFuture<CommandOutcome> waits = router.expect(id);
            CompletableFuture<CommandOutcome> alsoWaits = router.expect(id);

            gaveUp.cancel(false); // the first request timed out, or its publish failed

            CommandOutcome outcome = outcome(id);
            reply(router, id, outcome);
            assertThat(waits.get(30, TimeUnit.SECONDS)).isEqualTo(outcome);
            assertThat(alsoWaits.get(30, TimeUnit.SECONDS)).isEqualTo(outcome);
            assertThat(router.waiting()).isZero();
        }
    }

    @Test
    void aFutureGivenUpLeavesNothingBehind() throws Exception {
        try (ReplyRouter router = start(registry)) {
            List<CompletableFuture<CommandOutcome>> futures = new ArrayList<>();
            for (int i = 0; i < 1_000; i++) {
                futures.add(router.expect(UUID.randomUUID().toString()));
            }
            assertThat(router.waiting()).isEqualTo(1_000);
            futures.forEach(f -> f.cancel(false));
            assertThat(router.waiting()).isZero();
        }
    }

    @Test
    void waitingIsBoundedAndAFullTableRefusesAtOnce() throws Exception {
        try (ReplyRouter router = start(registry)) {
            List<CompletableFuture<CommandOutcome>> futures = new ArrayList<>();
            for (int i = 0; i < ReplyRouter.MAX_WAITING; i++) {
                futures.add(router.expect("id-" + i));
            }
            CompletableFuture<CommandOutcome> refused = router.expect("one-too-many");
            assertThat(refused).failsWithin(Duration.ofSeconds(1)).withThrowableOfType(ExecutionException.class)
                    .withCauseInstanceOf(RejectedExecutionException.class);
            assertThat(router.waiting()).isEqualTo(ReplyRouter.MAX_WAITING);
            futures.forEach(f -> f.cancel(false));
            assertThat(router.waiting()).isZero();
            assertThat(router.expect("room again")).isNotDone();
        }
    }

    @Test
    void recordsThatCannotBeDecodedAreSkippedAndCountedAndTheNextReplyArrives() throws Exception {
        try (ReplyRouter router = start(registry)) {
            String id = UUID.randomUUID().toString();
            CompletableFuture<CommandOutcome> waiting = router.expect(id);
            int knownSchemaId = registry.register(router.topic() + "-value", CommandOutcome.getClassSchema());
            for (byte[] value : List.of(
                    "garbage".getBytes(StandardCharsets.UTF_8),
                    new byte[]{0, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xfd, 1, 2}, // no such schema id
                    ByteBuffer.allocate(8).put((byte) 0).putInt(knownSchemaId).put(new byte[]{-1, -1, -1}).array(), // bad Avro
                    new byte[0])) {
                ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(router.topic(), null, value);
                record.headers().add(Topics.CORRELATION_ID_HEADER, id.getBytes(StandardCharsets.UTF_8));
                bytes.send(record).get();
            }

            CommandOutcome outcome = outcome(id);
            reply(router, id, outcome);

            assertThat(waiting.get(30, TimeUnit.SECONDS)).isEqualTo(outcome);
            assertThat(router.skipped()).isEqualTo(4);
            assertThat(router.problem()).isNull();
        }
    }

    @Test
    void aRegistryThatFailsForAWhileIsRetriedWithoutLosingTheReply() throws Exception {
        AtomicInteger refusals = new AtomicInteger(4);
        AtomicInteger refused = new AtomicInteger();
        HttpServer flaky = flakyFront(registry.baseUrl(), refusals, refused);
        try (ReplyRouter router = start(new SchemaRegistryClient(
                "http://127.0.0.1:" + flaky.getAddress().getPort() + "/apis/ccompat/v6"))) {
            String id = UUID.randomUUID().toString();
            CompletableFuture<CommandOutcome> waiting = router.expect(id);
            CommandOutcome outcome = outcome(id);

            reply(router, id, outcome);

            assertThat(waiting.get(30, TimeUnit.SECONDS)).isEqualTo(outcome);
            assertThat(refused.get()).as("registry answers 503 first").isEqualTo(4);
            assertThat(router.skipped()).isZero();
            await().atMost(Duration.ofSeconds(5)).until(() -> router.problem() == null);
        } finally {
            flaky.stop(0);
        }
    }

    @Test
    void anUnreachableRegistryMakesTheConsumerReportAProblemUntilItAnswers() throws Exception {
        AtomicInteger refusals = new AtomicInteger(Integer.MAX_VALUE);
        AtomicInteger refused = new AtomicInteger();
        HttpServer flaky = flakyFront(registry.baseUrl(), refusals, refused);
        try (ReplyRouter router = start(new SchemaRegistryClient(
                "http://127.0.0.1:" + flaky.getAddress().getPort() + "/apis/ccompat/v6"))) {
            String id = UUID.randomUUID().toString();
            CompletableFuture<CommandOutcome> waiting = router.expect(id);
            reply(router, id, outcome(id));

            await().atMost(Duration.ofSeconds(30)).until(() -> router.problem() != null);
            assertThat(router.problem()).contains("schema registry");
            assertThat(waiting).isNotDone();

            refusals.set(0);
            assertThat(waiting.get(30, TimeUnit.SECONDS).getCommandId().toString()).isEqualTo(id);
            await().atMost(Duration.ofSeconds(5)).until(() -> router.problem() == null);
        } finally {
            flaky.stop(0);
        }
    }

    private static ReplyRouter start(SchemaRegistryClient client) {
        return ReplyRouter.start(bootstrapServers, "router-it-" + NEXT.incrementAndGet(),
                new AvroDeserializer<>(CommandOutcome.class, client));
    }

    private static CommandOutcome outcome(String id) {
        return CommandOutcome.newBuilder()
                .setCommandId(UUID.fromString(id))
                .setOrgId("org")
                .setPhoneNumber("+14155550000")
                .setErrors(List.of(new ApiError("INBOUND_NOT_FOUND", "not found")))
                .build();
    }

    private static void reply(ReplyRouter router, String id, CommandOutcome outcome) throws Exception {
        ProducerRecord<String, CommandOutcome> record = new ProducerRecord<>(router.topic(), outcome.getPhoneNumber(), outcome);
        record.headers().add(Topics.CORRELATION_ID_HEADER, id.getBytes(StandardCharsets.UTF_8));
        outcomes.send(record).get();
    }

    /**
     * A registry in front of the real one that answers 503 while {@code refusals} is above zero (counting each
     * refusal down, and up in {@code refused}), then passes requests through.
     */
    private static HttpServer flakyFront(String realBaseUrl, AtomicInteger refusals, AtomicInteger refused)
            throws IOException {
        URI real = URI.create(realBaseUrl);
        HttpClient client = HttpClient.newHttpClient();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                if (refusals.getAndUpdate(n -> n == Integer.MAX_VALUE ? n : Math.max(n - 1, 0)) > 0) {
                    refused.incrementAndGet();
                    byte[] body = "{\"error_code\": 50001, \"message\": \"down\"}".getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(503, body.length);
                    exchange.getResponseBody().write(body);
                    return;
                }
                URI target = URI.create(real.getScheme() + "://" + real.getAuthority() + exchange.getRequestURI());
                HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(target)
                        .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(
                                exchange.getRequestBody().readAllBytes())).build(), HttpResponse.BodyHandlers.ofByteArray());
                response.headers().firstValue("content-type")
                        .ifPresent(type -> exchange.getResponseHeaders().add("content-type", type));
                exchange.sendResponseHeaders(response.statusCode(), response.body().length == 0 ? -1 : response.body().length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(response.body());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        server.start();
        return server;
    }
}
