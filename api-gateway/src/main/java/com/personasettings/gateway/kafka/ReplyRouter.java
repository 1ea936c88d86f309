package com.personasettings.gateway.kafka;

import com.personasettings.client.ReplyTopic;
import com.personasettings.schemas.CommandOutcome;
import com.personasettings.schemas.Topics;
import com.personasettings.schemas.registry.SchemaRegistryException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Receives this instance's replies and completes the futures of the requests waiting for each.
 *
 * <p>Every gateway instance has a reply topic of its own, read with {@code assign()} rather than a consumer
 * group: no rebalances on the reply path, and no instance ever sees another's replies. One thread polls;
 * no thread is parked per pending request.
 *
 * <p>The consumer reads raw bytes and decodes each record itself, so no record can stop it: one that cannot be
 * decoded is skipped and counted; a schema registry that does not answer (or answers 5xx) is retried with
 * backoff on the same record; anything else that goes wrong is logged and the loop goes on.
 */
public final class ReplyRouter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ReplyRouter.class);
    /**
     * Requests waiting at once, at most: about 20,000 requests a second for the default 5 s reply timeout.
     * Beyond it a request is not refused; it is answered 202 once its commands are queued.
     */
    static final int MAX_WAITING = 100_000;
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
    /** A poll returns within a second; twice that without one means the thread is stuck. */
    private static final Duration POLL = Duration.ofSeconds(1);
    private static final long STUCK_NANOS = 5 * POLL.toNanos();

    private final String topic;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Deserializer<CommandOutcome> outcomes;
    /** Per correlation id, every request waiting for it: requests that share an idempotency key share an id. */
    private final Map<String, List<CompletableFuture<CommandOutcome>>> pending = new ConcurrentHashMap<>();
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicLong skipped = new AtomicLong();
    private final Thread poller;
    private final CountDownLatch stopping = new CountDownLatch(1);
    private volatile boolean running = true;
    private volatile long lastPollNanos = System.nanoTime();
    /** What the loop is failing at right now, or null. */
    private volatile String failing;

    ReplyRouter(String topic, KafkaConsumer<byte[], byte[]> consumer, Deserializer<CommandOutcome> outcomes) {
        this.topic = topic;
        this.consumer = consumer;
        this.outcomes = outcomes;
        this.poller = new Thread(this::pollLoop, "reply-router-" + topic);
    }

    /** On a PLAINTEXT broker. */
    public static ReplyRouter start(String bootstrapServers, String instanceId, Deserializer<CommandOutcome> outcomes) {
        return start(Map.<String, Object>of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), instanceId, outcomes);
    }

    /** @param client {@code bootstrap.servers} and the security settings */
    public static ReplyRouter start(Map<String, Object> client, String instanceId, Deserializer<CommandOutcome> outcomes) {
        String topic = ReplyTopic.name(instanceId);
        createIfMissing(client, topic);
        Map<String, Object> config = new java.util.HashMap<>(client);
        config.putAll(Map.of(
                // Replies are written inside the processor's transaction: only committed ones count.
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.CLIENT_ID_CONFIG, "reply-router-" + instanceId));
        KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        // Just created, the topic may not be in the metadata yet: assigning nothing would poll nothing for good.
        List<TopicPartition> partitions = ReplyTopic.partitions(consumer, topic);
        consumer.assign(partitions);
        // Replies to requests of an earlier run of this instance have no one waiting for them.
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        ReplyRouter router = new ReplyRouter(topic, consumer, outcomes);
        router.poller.setDaemon(true);
        router.poller.start();
        return router;
    }

    /** The topic to name in the {@code reply-to} header. */
    public String topic() {
        return topic;
    }

    /**
     * A future of this caller's own for the reply to a command; register it before publishing the command.
     * Cancel it when no longer waiting (timeout, failed publish): that removes it, and only it. When
     * {@link #MAX_WAITING} requests already wait, the future fails at once with
     * {@link RejectedExecutionException}.
     */
    public CompletableFuture<CommandOutcome> expect(String correlationId) {
        if (waiting.incrementAndGet() > MAX_WAITING) {
            waiting.decrementAndGet();
            return CompletableFuture.failedFuture(new RejectedExecutionException(
                    MAX_WAITING + " requests are already waiting for replies"));
        }
        CompletableFuture<CommandOutcome> future = new CompletableFuture<>();
        pending.compute(correlationId, (id, waiters) -> {
            List<CompletableFuture<CommandOutcome>> list = waiters == null ? new ArrayList<>(1) : waiters;
            list.add(future);
            return list;
        });
        future.whenComplete((outcome, error) -> {
            waiting.decrementAndGet();
            pending.computeIfPresent(correlationId, (id, waiters) -> {
                waiters.remove(future);
                return waiters.isEmpty() ? null : waiters;
            });
        });
        return future;
    }

    /** Requests waiting for a reply right now. */
    public int waiting() {
        return waiting.get();
    }

    /** Records on the reply topic that could not be decoded and were skipped, since the start. */
    public long skipped() {
        return skipped.get();
    }

    /** Null while the consumer runs and keeps up; otherwise what is wrong with it (for readiness). */
    public String problem() {
        if (!poller.isAlive()) {
            return "the reply consumer is not running";
        }
        String now = failing;
        if (now != null) {
            return now;
        }
        long sincePoll = System.nanoTime() - lastPollNanos;
        return sincePoll > STUCK_NANOS
                ? "the reply consumer has not polled for " + TimeUnit.NANOSECONDS.toMillis(sincePoll) + " ms" : null;
    }

    private void pollLoop() {
        int failures = 0;
        try {
            while (running) {
                try {
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                        route(record);
                    }
                    lastPollNanos = System.nanoTime();
                    failing = null;
                    failures = 0;
                } catch (WakeupException e) {
                    // close() wakes the consumer; the loop condition decides
                } catch (RuntimeException | LinkageError | AssertionError e) {
                    failures++;
                    failing = "the reply consumer failed: " + e;
                    log.error("Reply consumer of {} failed ({} times in a row); it goes on", topic, failures, e);
                    pause(backoff(failures));
                }
            }
        } finally {
            consumer.close();
        }
    }

    /** Completes the futures waiting for this record; whatever goes wrong stays with this record. */
    private void route(ConsumerRecord<byte[], byte[]> record) {
        try {
            Optional<String> correlationId = correlationId(record);
            if (correlationId.isEmpty()) {
                return; // not a reply to anyone
            }
            CommandOutcome outcome = decode(record);
            if (outcome == null) {
                return;
            }
            List<CompletableFuture<CommandOutcome>> waiters = pending.remove(correlationId.get());
            if (waiters != null) {
                // Completing one removes it from its list, which is no longer in the map: iterate a copy.
                List.copyOf(waiters).forEach(future -> future.complete(outcome));
            }
        } catch (RuntimeException | LinkageError | AssertionError e) {
            skip(record, e);
        }
    }

    /** The outcome, or null for a record that is skipped (a tombstone, bytes that do not decode). */
    private CommandOutcome decode(ConsumerRecord<byte[], byte[]> record) {
        for (int attempt = 1; running; attempt++) {
            try {
                return outcomes.deserialize(record.topic(), record.headers(), record.value());
            } catch (SchemaRegistryException e) {
                if (!isTransient(e)) {
                    return skip(record, e);
                }
                failing = "the reply consumer cannot reach the schema registry: " + e.getMessage();
                if (attempt == 1 || attempt % 20 == 0) {
                    log.warn("Reply on {}-{} at offset {}: schema registry unavailable (attempt {}); retrying",
                            record.topic(), record.partition(), record.offset(), attempt, e);
                }
                pause(backoff(attempt));
            } catch (RuntimeException e) {
                return skip(record, e);
            }
        }
        return null;
    }

    private CommandOutcome skip(ConsumerRecord<byte[], byte[]> record, Throwable e) {
        long count = skipped.incrementAndGet();
        log.warn("Skipped undecodable reply on {}-{} at offset {} ({} skipped so far): {}",
                record.topic(), record.partition(), record.offset(), count, e.toString());
        return null;
    }

    /** No answer or a 5xx (or 429): the registry may recover; a 4xx answer will not change on retry. */
    private static boolean isTransient(SchemaRegistryException e) {
        return e.status() == SchemaRegistryException.NO_RESPONSE || e.status() >= 500 || e.status() == 429;
    }

    private static Duration backoff(int attempt) {
        long millis = FIRST_BACKOFF.toMillis() << Math.min(attempt - 1, 10);
        return Duration.ofMillis(Math.min(millis, MAX_BACKOFF.toMillis()));
    }

    /** Waits, or returns early when the router is closed. */
    private void pause(Duration duration) {
        try {
            stopping.await(duration.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private static Optional<String> correlationId(ConsumerRecord<?, ?> record) {
        Header header = record.headers().lastHeader(Topics.CORRELATION_ID_HEADER);
        return header == null || header.value() == null ? Optional.empty()
                : Optional.of(new String(header.value(), StandardCharsets.UTF_8));
    }

    /** Made by the same rule as the Java client's reply topics: one partition, kept an hour. */
    private static void createIfMissing(Map<String, Object> client, String topic) {
        try (Admin admin = Admin.create(client)) {
            ReplyTopic.ensure(admin, topic, Duration.ofSeconds(30));
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        stopping.countDown();
        consumer.wakeup();
        poller.join(10_000);
        pending.values().stream().flatMap(List::stream).toList().forEach(f -> f.cancel(false));
    }
}
