package com.personasettings.client;

import com.personasettings.schemas.CommandOutcome;
import com.personasettings.schemas.Topics;
import com.personasettings.schemas.registry.SchemaRegistryException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The reply topic's consumer and the futures waiting on it, keyed by command id.
 *
 * <p>One thread of its own polls the topic, which it reads with {@code assign()}: no consumer group, so no
 * rebalance and no committed offsets; it starts at the end of the topic, since replies to an earlier run have no one
 * waiting for them. A reply is decoded only when someone waits for its command id, so a topic shared by several
 * instances of a service costs each only a look at the others' headers. A record that cannot be decoded is skipped;
 * a schema registry that does not answer is retried for as long as someone waits for that reply.
 */
final class Replies implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Replies.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(2);

    private final String topic;
    private final Consumer<byte[], byte[]> consumer;
    private final Deserializer<CommandOutcome> outcomes;
    private final Map<UUID, Set<CompletableFuture<Outcome>>> waiting = new ConcurrentHashMap<>();
    private final CountDownLatch closing = new CountDownLatch(1);
    private final Thread poller;

    /** Assigns every partition of the topic at its end, then starts polling. */
    Replies(String topic, Consumer<byte[], byte[]> consumer, Deserializer<CommandOutcome> outcomes) {
        this.topic = topic;
        this.consumer = consumer;
        this.outcomes = outcomes;
        List<TopicPartition> partitions = ReplyTopic.partitions(consumer, topic);
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        // seekToEnd is lazy: fix the positions now, before any command is sent, so no early reply is skipped.
        partitions.forEach(consumer::position);
        this.poller = new Thread(this::pollLoop, "persona-client-replies-" + topic);
        poller.setDaemon(true);
        poller.start();
    }

    /** A future of the caller's own for the outcome of a command; register it before sending the command. */
    CompletableFuture<Outcome> expect(UUID commandId) {
        CompletableFuture<Outcome> future = new CompletableFuture<>();
        waiting.compute(commandId, (id, futures) -> {
            Set<CompletableFuture<Outcome>> set = futures != null ? futures : ConcurrentHashMap.newKeySet();
            set.add(future);
            return set;
        });
        // However it ends (outcome, timeout, failed send, close), it no longer waits.
        future.whenComplete((outcome, error) -> waiting.computeIfPresent(commandId, (id, futures) -> {
            futures.remove(future);
            return futures.isEmpty() ? null : futures;
        }));
        return future;
    }

    /** Futures waiting right now. */
    int waiting() {
        return waiting.values().stream().mapToInt(Set::size).sum();
    }

    boolean running() {
        return poller.isAlive();
    }

    private void pollLoop() {
        try {
            while (closing.getCount() > 0) {
                try {
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                        deliver(record);
                    }
                } catch (WakeupException e) {
                    // close() woke the consumer up; the loop's condition ends it
                } catch (RuntimeException e) {
                    log.error("Reading replies from {} failed; going on", topic, e);
                    pause(MAX_BACKOFF);
                }
            }
        } finally {
            consumer.close();
        }
    }

    private void deliver(ConsumerRecord<byte[], byte[]> record) {
        UUID commandId = commandId(record);
        if (commandId == null || !waiting.containsKey(commandId)) {
            return; // not a reply, or one nobody here waits for (another instance's, or one timed out)
        }
        Outcome outcome = decode(record, commandId);
        if (outcome == null) {
            return;
        }
        Set<CompletableFuture<Outcome>> futures = waiting.remove(commandId);
        if (futures != null) {
            List.copyOf(futures).forEach(future -> future.complete(outcome));
        }
    }

    /** The outcome, or null when the record is skipped or nobody waits for it any more. */
    private Outcome decode(ConsumerRecord<byte[], byte[]> record, UUID commandId) {
        Duration backoff = Duration.ofMillis(100);
        while (closing.getCount() > 0 && waiting.containsKey(commandId)) {
            try {
                return Outcome.of(outcomes.deserialize(record.topic(), record.headers(), record.value()));
            } catch (SchemaRegistryException e) {
                boolean transientFailure = e.status() == SchemaRegistryException.NO_RESPONSE || e.status() >= 500;
                if (!transientFailure) {
                    return skip(record, e);
                }
                log.warn("Reply to command {}: the schema registry is unavailable ({}); retrying", commandId,
                        e.getMessage());
                pause(backoff);
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            } catch (RuntimeException e) {
                return skip(record, e);
            }
        }
        return null;
    }

    private Outcome skip(ConsumerRecord<byte[], byte[]> record, Exception e) {
        log.warn("Skipped a reply on {}-{} at offset {} that cannot be decoded: {}", record.topic(), record.partition(),
                record.offset(), e.toString());
        return null;
    }

    /** The correlation id, which this client sets to the command id; null when absent or not one. */
    private static UUID commandId(ConsumerRecord<byte[], byte[]> record) {
        Header header = record.headers().lastHeader(Topics.CORRELATION_ID_HEADER);
        if (header == null || header.value() == null) {
            return null;
        }
        try {
            return UUID.fromString(new String(header.value(), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            return null; // someone else's correlation id on a shared topic
        }
    }

    /** Waits, or returns at once when closing. */
    private void pause(Duration duration) {
        try {
            closing.await(duration.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closing.countDown();
        }
    }

    /** Stops the consumer, then fails every future still waiting with {@code failure}. */
    void close(java.util.function.Function<UUID, RuntimeException> failure) {
        closing.countDown();
        consumer.wakeup();
        try {
            poller.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        waiting.forEach((commandId, futures) ->
                List.copyOf(futures).forEach(future -> future.completeExceptionally(failure.apply(commandId))));
    }

    @Override
    public void close() {
        close(commandId -> new IllegalStateException("the client was closed before the outcome of command "
                + commandId + " arrived"));
    }
}
