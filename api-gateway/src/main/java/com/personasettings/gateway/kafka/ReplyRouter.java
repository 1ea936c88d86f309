package com.personasettings.gateway.kafka;

import com.personasettings.schemas.CommandOutcome;
import com.personasettings.schemas.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * Receives this instance's replies and completes the future of the request waiting for each.
 *
 * <p>Every gateway instance has a reply topic of its own, read with {@code assign()} rather than a consumer
 * group: no rebalances on the reply path, and no instance ever sees another's replies. One thread polls;
 * no thread is parked per pending request.
 */
public final class ReplyRouter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ReplyRouter.class);

    private final String topic;
    private final KafkaConsumer<String, CommandOutcome> consumer;
    private final Map<String, CompletableFuture<CommandOutcome>> pending = new ConcurrentHashMap<>();
    private final Thread poller;
    private volatile boolean running = true;

    private ReplyRouter(String topic, KafkaConsumer<String, CommandOutcome> consumer) {
        this.topic = topic;
        this.consumer = consumer;
        this.poller = new Thread(this::pollLoop, "reply-router-" + topic);
    }

    public static ReplyRouter start(String bootstrapServers, String instanceId, Deserializer<CommandOutcome> outcomes) {
        String topic = Topics.REPLIES + "." + instanceId;
        createIfMissing(bootstrapServers, topic);
        KafkaConsumer<String, CommandOutcome> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                // Replies are written inside the processor's transaction: only committed ones count.
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.CLIENT_ID_CONFIG, "reply-router-" + instanceId),
                new StringDeserializer(), outcomes);
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        // Replies to requests of an earlier run of this instance have no one waiting for them.
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        ReplyRouter router = new ReplyRouter(topic, consumer);
        router.poller.setDaemon(true);
        router.poller.start();
        return router;
    }

    /** The topic to name in the {@code reply-to} header. */
    public String topic() {
        return topic;
    }

    /** Registers interest in the reply to a command; call before publishing it. */
    public CompletableFuture<CommandOutcome> expect(String correlationId) {
        return pending.computeIfAbsent(correlationId, id -> new CompletableFuture<>());
    }

    /** The caller stopped waiting (timeout): a late reply is dropped. */
    public void forget(String correlationId) {
        pending.remove(correlationId);
    }


    private void pollLoop() {
        try {
            while (running) {
                for (ConsumerRecord<String, CommandOutcome> record : consumer.poll(Duration.ofSeconds(1))) {
                    correlationId(record).map(pending::remove)
                            .ifPresent(future -> future.complete(record.value()));
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            log.error("Reply consumer of {} stopped", topic, e);
        } finally {
            consumer.close();
        }
    }

    private static Optional<String> correlationId(ConsumerRecord<?, ?> record) {
        Header header = record.headers().lastHeader(Topics.CORRELATION_ID_HEADER);
        return header == null ? Optional.empty() : Optional.of(new String(header.value(), StandardCharsets.UTF_8));
    }

    private static void createIfMissing(String bootstrapServers, String topic) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            // One partition is plenty for one instance's replies; keep them an hour.
            admin.createTopics(List.of(new NewTopic(topic, Optional.of(1), Optional.empty())
                    .configs(Map.of("retention.ms", "3600000")))).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("could not create reply topic " + topic, e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        poller.join(5_000);
        pending.values().forEach(f -> f.cancel(false));
    }
}
