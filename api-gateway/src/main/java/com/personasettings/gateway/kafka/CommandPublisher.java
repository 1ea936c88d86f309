package com.personasettings.gateway.kafka;

import com.personasettings.schemas.InboundCommand;
import com.personasettings.schemas.RetirePersona;
import com.personasettings.schemas.Topics;
import com.personasettings.schemas.registry.AvroSerializer;
import com.personasettings.schemas.registry.SchemaRegistryClient;
import com.personasettings.platform.ops.Tracing;
import io.opentelemetry.context.Context;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Publishes commands, keyed by phone number, asking for the reply on this instance's reply topic when someone will
 * wait for it.
 *
 * <p>{@code send()} runs on a thread of its own: it can block (for the metadata of a broker that is down, or
 * for buffer space), and a request thread must never wait for that.
 */
public final class CommandPublisher implements AutoCloseable {

    private final KafkaProducer<String, InboundCommand> producer;
    private final String replyTopic;
    private final ExecutorService sender;

    /** For tools that wait for each command as long as it takes: Kafka's default timeouts (minutes). */
    public CommandPublisher(String bootstrapServers, SchemaRegistryClient registry, String replyTopic) {
        this(bootstrapServers, registry, replyTopic, null);
    }

    /** On a PLAINTEXT broker; see {@link #CommandPublisher(Map, SchemaRegistryClient, String, Duration)}. */
    public CommandPublisher(String bootstrapServers, SchemaRegistryClient registry, String replyTopic,
                            Duration sendTimeout) {
        this(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), registry, replyTopic, sendTimeout);
    }

    /**
     * @param client      {@code bootstrap.servers} and the security settings
     * @param replyTopic  where replies should go, or null when no one waits for them (operator commands)
     * @param sendTimeout how long a command may take from {@link #publish} to the broker's acknowledgement, or
     *                    null for Kafka's defaults
     */
    public CommandPublisher(Map<String, Object> client, SchemaRegistryClient registry, String replyTopic,
                            Duration sendTimeout) {
        this.replyTopic = replyTopic;
        Map<String, Object> config = new HashMap<>(client);
        config.putAll(Map.of(
                // A command the caller was told about (202 or an outcome) must survive a broker failure.
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                // Small batches, shipped almost at once: a caller is waiting on each command.
                ProducerConfig.LINGER_MS_CONFIG, 1));
        if (sendTimeout != null) {
            long timeout = sendTimeout.toMillis();
            // send() waits this long at most for metadata or buffer space (default 60 s): no caller waits longer.
            config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout);
            // A command not acknowledged by then is answered 503 "could not be confirmed"; the producer gives up
            // on it about then too (default 120 s) instead of delivering it long after the caller was told so.
            config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) timeout);
            // One unanswered produce request must leave time for a retry (on a new leader, say) within the delivery
            // timeout; Kafka requires delivery.timeout.ms >= linger.ms + request.timeout.ms (default 30 s).
            config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) (timeout / 2));
            // Keep the commands topic's metadata while the gateway is idle (default 5 min): a send while the broker
            // is down then queues at once instead of blocking for metadata it cannot get.
            config.put(ProducerConfig.METADATA_MAX_IDLE_CONFIG, (int) TimeUnit.DAYS.toMillis(1));
        }
        this.producer = new KafkaProducer<>(config, new StringSerializer(), new AvroSerializer<>(registry));
        this.sender = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "command-sender");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Completes when the broker has the command (acks=all); the command id is the correlation id. */
    public CompletableFuture<RecordMetadata> publish(InboundCommand command) {
        CompletableFuture<RecordMetadata> sent = new CompletableFuture<>();
        submit(command, sent);
        return sent;
    }

    /**
     * As {@link #publish(InboundCommand)}, but fails with a {@link java.util.concurrent.TimeoutException} when the
     * broker has not acknowledged the command within {@code timeout}. A command still waiting for the sender
     * thread by then is not sent at all; one already handed to the producer may still be written.
     */
    public CompletableFuture<RecordMetadata> publish(InboundCommand command, Duration timeout) {
        return publish(command, timeout, Context.root(), true);
    }

    /**
     * As {@link #publish(InboundCommand, Duration)}, the command carrying the trace's {@code traceparent}.
     *
     * @param replyWanted false when nobody will wait for the reply (an async request, answered from PostgreSQL): the
     *                    command then carries no reply topic, so the processor writes no reply and asks for no early
     *                    commit on its behalf
     */
    public CompletableFuture<RecordMetadata> publish(InboundCommand command, Duration timeout, Context trace,
                                                     boolean replyWanted) {
        CompletableFuture<RecordMetadata> sent = new CompletableFuture<>();
        sent.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
        submit(command, sent, trace, replyWanted);
        return sent;
    }

    private void submit(InboundCommand command, CompletableFuture<RecordMetadata> sent) {
        submit(command, sent, Context.root(), true);
    }

    private void submit(InboundCommand command, CompletableFuture<RecordMetadata> sent, Context trace,
                        boolean replyWanted) {
        try {
            sender.execute(() -> send(command, sent, trace, replyWanted));
        } catch (RejectedExecutionException e) {
            sent.completeExceptionally(new IllegalStateException("the publisher is closed", e));
        }
    }

    private void send(InboundCommand command, CompletableFuture<RecordMetadata> sent, Context trace,
                      boolean replyWanted) {
        if (sent.isDone()) {
            return; // timed out while queued: nobody waits for it any more
        }
        // A persona's retirement names its partition (one copy goes to each); a number's command goes by its key.
        Integer partition = command.getPayload() instanceof RetirePersona retire ? retire.getPartition() : null;
        ProducerRecord<String, InboundCommand> record =
                new ProducerRecord<>(Topics.COMMANDS, partition, command.getPhoneNumber(), command);
        if (replyTopic != null && replyWanted) {
            record.headers()
                    .add(Topics.REPLY_TO_HEADER, replyTopic.getBytes(StandardCharsets.UTF_8))
                    .add(Topics.CORRELATION_ID_HEADER, command.getCommandId().toString().getBytes(StandardCharsets.UTF_8));
        }
        Tracing.inject(trace, (name, value) -> record.headers().add(name, value.getBytes(StandardCharsets.UTF_8)));
        try {
            producer.send(record, (metadata, error) -> {
                if (error != null) {
                    sent.completeExceptionally(error);
                } else {
                    sent.complete(metadata);
                }
            });
        } catch (RuntimeException e) { // serialization, an unreachable schema registry, a closed producer
            sent.completeExceptionally(e);
        }
    }

    /**
     * How many partitions the commands topic has (a persona's retirement goes to each). From the producer's
     * metadata, which it keeps; the first call may wait for it as long as a send would.
     *
     * @throws org.apache.kafka.common.KafkaException when the broker cannot tell in time
     */
    public int commandPartitions() {
        return producer.partitionsFor(Topics.COMMANDS).size();
    }

    @Override
    public void close() {
        sender.shutdown();
        try {
            sender.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close();
    }
}
