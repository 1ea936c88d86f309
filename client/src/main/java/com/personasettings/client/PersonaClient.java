package com.personasettings.client;

import com.personasettings.schemas.CommandOutcome;
import com.personasettings.schemas.InboundCommand;
import com.personasettings.schemas.Topics;
import com.personasettings.schemas.registry.AvroDeserializer;
import com.personasettings.schemas.registry.AvroSerializer;
import com.personasettings.schemas.registry.SchemaRegistryClient;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * Sends commands to the persona-settings processor over Kafka and completes a future with each one's outcome: what
 * Spring's {@code ReplyingKafkaTemplate} does for a request and its reply, without Spring.
 *
 * <pre>{@code
 * try (PersonaClient client = PersonaClient.builder()
 *         .bootstrapServers("kafka:9092")
 *         .schemaRegistryUrl("http://registry:8081")
 *         .serviceName("billing")
 *         .build()) {
 *     Outcome outcome = client.updateSettings(orgId, personaId, "+14155551234",
 *             new Settings("pathway_abc123", 2L, "node_xyz")).get();
 * }
 * }</pre>
 *
 * <p><b>What it does with a command.</b> It stamps a command id (random, or derived from an idempotency key: see
 * {@link CommandIds}), {@code issued_at} (now, to the millisecond) and {@code actor} (the service name), and sends it
 * to {@code persona.inbound.commands} keyed by the phone number (provisioning and releasing to the operator topic
 * {@code persona.inbound.operator}, which only the operator may write), with a {@code reply-to} header naming the client's
 * reply topic {@code persona.inbound.replies.<service name>} and the command id as {@code correlation-id}. The reply
 * topic is created at {@link Builder#build()} when it does not exist (one partition, kept an hour, as a gateway's);
 * when the principal may not create it, {@code build()} fails saying so.
 *
 * <p><b>Threads.</b> Every method may be called from any thread; none blocks except {@code build()} and
 * {@code close()}. Commands are handed to the producer by one sender thread of the client's own (a producer can block
 * for metadata while a broker is away; the caller never does). One reply thread reads the reply topic with
 * {@code assign()} — no consumer group, no rebalances — from its end at start, and completes the future waiting for
 * each command id; futures complete on that thread (or on the sender's for a failed send, or on a timer's for a
 * timeout), so do not block in a callback. No thread is parked per pending command. Several instances of one service
 * may share its reply topic: each ignores the replies it is not waiting for.
 *
 * <p><b>Guarantees.</b> The producer is idempotent with {@code acks=all}: a command whose {@code written} future
 * completed survives the loss of a broker, and the producer's own retries never write it twice. Delivery is
 * at least once: after a timeout or a failed send you do not know whether the command was written, so send it again
 * with the same command id ({@link Command#withIdempotencyKey}) — the effect is exactly once, because the processor
 * recognises a command id it has seen and answers it with the first outcome instead of applying it again. An outcome
 * is read with {@code isolation.level=read_committed}: it is never one the processor could still roll back (its
 * rows are in PostgreSQL). Commands for one phone number are processed in the order they are written; two sent at
 * once from different threads are written in either order.
 *
 * <p><b>Timeouts.</b> {@link Builder#replyTimeout} (30 s by default) bounds the wait from {@code send} to the
 * outcome: the outcome future then fails with a {@link TimeoutException} that says whether the command was written.
 * {@link #close()} fails the futures still waiting with {@link IllegalStateException}.
 */
public final class PersonaClient implements AutoCloseable {

    /** Legal Kafka topic characters, as the service name becomes part of the reply topic's name. */
    private static final Pattern SERVICE_NAME = Pattern.compile("[a-zA-Z0-9._-]{1,200}");

    private final String service;
    private final String replyTopic;
    private final Duration replyTimeout;
    private final Clock clock;
    private final Producer<String, InboundCommand> producer;
    private final Replies replies;
    private final ExecutorService sender;
    private volatile boolean closed;

    private PersonaClient(String service, Duration replyTimeout, Clock clock, Producer<String, InboundCommand> producer,
                          Replies replies) {
        this.service = service;
        this.replyTopic = ReplyTopic.name(service);
        this.replyTimeout = replyTimeout;
        this.clock = clock;
        this.producer = producer;
        this.replies = replies;
        this.sender = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "persona-client-sender-" + service);
            thread.setDaemon(true);
            return thread;
        });
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Sets the number's own settings ({@code null} clears them); it must be attached to the persona. */
    public CompletableFuture<Outcome> updateSettings(UUID orgId, UUID personaId, String phoneNumber, Settings settings) {
        return send(Command.updateSettings(orgId, personaId, phoneNumber, settings)).outcome();
    }

    public CompletableFuture<Outcome> attach(UUID orgId, UUID personaId, String phoneNumber) {
        return send(Command.attach(orgId, personaId, phoneNumber)).outcome();
    }

    public CompletableFuture<Outcome> detach(UUID orgId, UUID personaId, String phoneNumber) {
        return send(Command.detach(orgId, personaId, phoneNumber)).outcome();
    }

    /** Operator task: the number enters the org with the given numeric id (positive, unique). */
    public CompletableFuture<Outcome> provision(UUID orgId, String phoneNumber, long numberId, String label) {
        return send(Command.provision(orgId, phoneNumber, numberId, label)).outcome();
    }

    /** Operator task: the number leaves the org. */
    public CompletableFuture<Outcome> release(UUID orgId, String phoneNumber) {
        return send(Command.release(orgId, phoneNumber)).outcome();
    }

    /**
     * Sends a command; see {@link SentCommand} for what each of its futures says.
     *
     * @throws IllegalStateException when the client is closed
     */
    public SentCommand send(Command command) {
        if (closed) {
            throw new IllegalStateException("the client is closed");
        }
        UUID commandId = CommandIds.of(service, command);
        InboundCommand avro = InboundCommand.newBuilder()
                .setCommandId(commandId)
                .setOrgId(command.orgId().toString())
                // timestamp-millis carries milliseconds: drop the rest, so the outcome echoes exactly this instant
                .setIssuedAt(Instant.now(clock).truncatedTo(ChronoUnit.MILLIS))
                .setActor(service)
                .setPhoneNumber(command.phoneNumber())
                .setPayload(command.payload())
                .build();
        CompletableFuture<Void> written = new CompletableFuture<>();
        CompletableFuture<Outcome> outcome = replies.expect(commandId);
        CompletableFuture.delayedExecutor(replyTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .execute(() -> outcome.completeExceptionally(timeout(command, commandId, written)));
        try {
            sender.execute(() -> write(command.topic(), avro, written, outcome));
        } catch (RejectedExecutionException e) { // closed meanwhile
            IllegalStateException failure = new IllegalStateException("the client is closed", e);
            written.completeExceptionally(failure);
            outcome.completeExceptionally(failure);
        }
        return new SentCommand(commandId, command.phoneNumber(), written, outcome);
    }

    /** The topic this client's replies come back on. */
    public String replyTopic() {
        return replyTopic;
    }

    /** The name commands are sent with as {@code actor}. */
    public String serviceName() {
        return service;
    }

    /** Commands whose outcome is awaited right now. */
    public int pending() {
        return replies.waiting();
    }

    private void write(String topic, InboundCommand command, CompletableFuture<Void> written,
                       CompletableFuture<Outcome> outcome) {
        if (outcome.isDone()) {
            // Timed out (or cancelled) while queued behind a blocked send: never written, as the timeout said.
            written.completeExceptionally(new IllegalStateException("command " + command.getCommandId()
                    + " was not sent: its outcome future completed before the producer could take it"));
            return;
        }
        ProducerRecord<String, InboundCommand> record =
                new ProducerRecord<>(topic, command.getPhoneNumber(), command);
        record.headers()
                .add(Topics.REPLY_TO_HEADER, replyTopic.getBytes(StandardCharsets.UTF_8))
                .add(Topics.CORRELATION_ID_HEADER, command.getCommandId().toString().getBytes(StandardCharsets.UTF_8));
        try {
            producer.send(record, (metadata, error) -> {
                if (error == null) {
                    written.complete(null);
                } else {
                    written.completeExceptionally(error);
                    outcome.completeExceptionally(error);
                }
            });
        } catch (RuntimeException e) { // serialization, a schema registry that does not answer, metadata not found
            written.completeExceptionally(e);
            outcome.completeExceptionally(e);
        }
    }

    private TimeoutException timeout(Command command, UUID commandId, CompletableFuture<Void> written) {
        String was = written.isDone() && !written.isCompletedExceptionally()
                ? "was written to " + command.topic() + " but no outcome arrived"
                : "was not acknowledged by the broker";
        return new TimeoutException("Command " + commandId + " (" + command + ") " + was + " within "
                + replyTimeout.toMillis() + " ms. Is the processor running? Sending it again with the same command id "
                + "is safe: it is applied once.");
    }

    /**
     * Stops sending, waits (up to 10 s) for the commands already handed over to be written, stops the reply consumer
     * and fails the outcomes still awaited with {@link IllegalStateException}.
     */
    @Override
    public void close() {
        closed = true;
        sender.shutdown();
        try {
            sender.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(10));
        replies.close();
    }

    /** What a client needs; {@link #build()} connects and creates the reply topic. */
    public static final class Builder {

        private String bootstrapServers;
        private String schemaRegistryUrl;
        private String serviceName;
        private final Map<String, Object> kafkaProperties = new HashMap<>();
        private Duration replyTimeout = Duration.ofSeconds(30);
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        public Builder bootstrapServers(String bootstrapServers) {
            this.bootstrapServers = bootstrapServers;
            return this;
        }

        /** A Confluent-compatible registry (Apicurio: {@code .../apis/ccompat/v6}). */
        public Builder schemaRegistryUrl(String schemaRegistryUrl) {
            this.schemaRegistryUrl = schemaRegistryUrl;
            return this;
        }

        /**
         * Who sends the commands: their {@code actor}, and the suffix of the reply topic
         * ({@code persona.inbound.replies.<name>}). Letters, digits, {@code .}, {@code _} and {@code -}.
         */
        public Builder serviceName(String serviceName) {
            this.serviceName = serviceName;
            return this;
        }

        /**
         * Properties given unchanged to the producer, the consumer and the admin client: security settings
         * ({@code security.protocol}, {@code sasl.*}, {@code ssl.*}), client ids, timeouts. The settings the
         * guarantees rest on ({@code acks}, idempotence, the isolation level, no offset commits) are the client's.
         */
        public Builder kafkaProperties(Map<String, ?> properties) {
            kafkaProperties.putAll(properties);
            return this;
        }

        /** How long an outcome is awaited from {@code send}; 30 s by default. */
        public Builder replyTimeout(Duration replyTimeout) {
            if (replyTimeout.isNegative() || replyTimeout.isZero()) {
                throw new IllegalArgumentException("the reply timeout must be positive");
            }
            this.replyTimeout = replyTimeout;
            return this;
        }

        /** Where {@code issued_at} comes from; the system clock by default. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Creates the reply topic when it is missing, starts reading it and connects the producer.
         *
         * @throws IllegalStateException when the reply topic is missing and cannot be created (not authorised, say:
         *                               the message says which permission is lacking) or the cluster does not answer
         */
        public PersonaClient build() {
            Objects.requireNonNull(bootstrapServers, "bootstrapServers");
            Objects.requireNonNull(schemaRegistryUrl, "schemaRegistryUrl");
            if (serviceName == null || !SERVICE_NAME.matcher(serviceName).matches()) {
                throw new IllegalArgumentException("the service name must be 1 to 200 letters, digits, '.', '_' or '-': "
                        + serviceName);
            }
            String topic = ReplyTopic.name(serviceName);
            try (Admin admin = Admin.create(config(Map.of()))) {
                ReplyTopic.ensure(admin, topic, Duration.ofSeconds(30));
            }
            SchemaRegistryClient registry = new SchemaRegistryClient(schemaRegistryUrl);
            KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config(Map.of(
                    CommonClientConfigs.CLIENT_ID_CONFIG, "persona-client-" + serviceName + "-replies",
                    // Replies are written in the processor's transactions: only committed ones are outcomes.
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                    // assign() without a group: there is nothing to commit
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)),
                    new ByteArrayDeserializer(), new ByteArrayDeserializer());
            Replies replies;
            try {
                replies = new Replies(topic, consumer, new AvroDeserializer<>(CommandOutcome.class, registry));
            } catch (RuntimeException e) {
                consumer.close();
                throw e;
            }
            try {
                KafkaProducer<String, InboundCommand> producer = new KafkaProducer<>(config(Map.of(
                        CommonClientConfigs.CLIENT_ID_CONFIG, "persona-client-" + serviceName,
                        // A command the caller was told is written must survive the loss of a broker ...
                        ProducerConfig.ACKS_CONFIG, "all",
                        // ... and the producer's retries must not write it twice.
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)),
                        new StringSerializer(), new AvroSerializer<>(registry));
                return new PersonaClient(serviceName, replyTimeout, clock, producer, replies);
            } catch (RuntimeException e) {
                replies.close();
                throw e;
            }
        }

        /** The user's properties, then the bootstrap servers, then the client's own settings. */
        private Map<String, Object> config(Map<String, Object> own) {
            Map<String, Object> config = new HashMap<>(kafkaProperties);
            config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            if (own.containsKey(CommonClientConfigs.CLIENT_ID_CONFIG)
                    && kafkaProperties.containsKey(CommonClientConfigs.CLIENT_ID_CONFIG)) {
                own = new HashMap<>(own);
                own.remove(CommonClientConfigs.CLIENT_ID_CONFIG); // the user's client id wins
            }
            config.putAll(own);
            return config;
        }
    }
}
