package com.personasettings.processor.replay;

import com.personasettings.processor.db.Repository;
import com.personasettings.processor.db.Verdict;
import com.personasettings.processor.db.WriteBatch;
import com.personasettings.processor.stream.CommandHandler;
import com.personasettings.processor.stream.CommandHandler.Handled;
import com.personasettings.processor.stream.DecodedCommand;
import com.personasettings.processor.stream.OperatorSignature;
import com.personasettings.schemas.InboundCommand;
import com.personasettings.schemas.Topics;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Reprocesses the command log into a database: every record from a start position up to the end the log had
 * when the replay began, through the live processor's decoding, dedup and decisions ({@link DecodedCommand},
 * {@link CommandHandler}, with the state in a {@link PartitionState}), writing the same rows and sending nothing
 * to Kafka.
 *
 * <p>Partitions are replayed one after another. A number's commands all sit in one partition and the live
 * processor's state (numbers, seen command ids) is per partition too, so holding one partition's state at a
 * time bounds memory without changing any outcome.
 */
public final class Replay implements AutoCloseable {

    /** Commands per database transaction: enough that per-transaction round trips stop mattering. */
    public static final int BATCH = 2_000;

    /**
     * @param start first offset replayed in each partition
     * @param end   the log end when the replay began: every offset below it was replayed
     */
    public record Result(long records, long applied, long repeated, long deadLettered, Duration elapsed,
                         Map<Integer, Long> start, Map<Integer, Long> end) {

        public double recordsPerSecond() {
            return elapsed.isZero() ? 0 : records / (elapsed.toNanos() / 1e9);
        }
    }

    private final Consumer<byte[], byte[]> consumer;
    private final Deserializer<InboundCommand> commands;
    /** The live processor's key: the operator's commands are told from anyone's as they were then. */
    private final OperatorSignature operator;
    private final Repository target;
    private final Progress progress;
    /** One batch is written while the next is decided: the database and the decoding overlap. */
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> new Thread(r, "replay-writer"));
    private CompletableFuture<Void> writing = CompletableFuture.completedFuture(null);

    private long records;
    private long applied;
    private long repeated;
    private long deadLettered;

    /** The consumer must read committed records only, like the live processor under exactly-once. */
    public Replay(Consumer<byte[], byte[]> consumer, Deserializer<InboundCommand> commands, OperatorSignature operator,
                  Repository target, Progress progress) {
        this.consumer = consumer;
        this.commands = commands;
        this.operator = operator;
        this.target = target;
        this.progress = progress;
    }

    /** A consumer for {@link Replay} on a PLAINTEXT broker. */
    public static KafkaConsumer<byte[], byte[]> consumer(String bootstrapServers) {
        return consumer(Map.<String, Object>of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    /**
     * A consumer for {@link Replay}: reads what the live processor saw, in large sequential fetches.
     *
     * @param client {@code bootstrap.servers} and the security settings
     */
    public static KafkaConsumer<byte[], byte[]> consumer(Map<String, Object> client) {
        Map<String, Object> config = new java.util.HashMap<>(client);
        config.putAll(Map.of(
                // The live processor reads under exactly-once: aborted writes were never commands.
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000,
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 * 1024 * 1024));
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * Where {@code from} starts in each partition of the commands topic; fails with an
     * {@link IllegalArgumentException} on offsets the topic does not have. A check to run before creating
     * anything for a replay.
     */
    public static Map<TopicPartition, Long> start(Consumer<?, ?> consumer, StartPosition from) {
        return from.resolve(consumer, partitions(consumer));
    }

    public Result run(StartPosition from) {
        long started = System.nanoTime();
        List<TopicPartition> partitions = partitions(consumer);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        Map<TopicPartition, Long> start = from.resolve(consumer, partitions);
        boolean targetEmpty = target.isEmpty();
        long total = partitions.stream().mapToLong(p -> Math.max(0, end.get(p) - start.get(p))).sum();
        for (TopicPartition partition : partitions) {
            replay(partition, start.get(partition), end.get(partition), targetEmpty, total);
        }
        awaitWrites();
        progress.finish();
        return new Result(records, applied, repeated, deadLettered, Duration.ofNanos(System.nanoTime() - started),
                byPartition(start), byPartition(end));
    }

    private static List<TopicPartition> partitions(Consumer<?, ?> consumer) {
        return consumer.partitionsFor(Topics.COMMANDS).stream()
                .map(info -> new TopicPartition(info.topic(), info.partition()))
                .sorted(Comparator.comparingInt(TopicPartition::partition))
                .toList();
    }

    private void replay(TopicPartition partition, long from, long to, boolean targetEmpty, long total) {
        if (from >= to) {
            return;
        }
        PartitionState state = targetEmpty ? new PartitionState(partition.partition(), from, null)
                : PartitionState.load(target, partition.partition(), from);
        consumer.assign(List.of(partition));
        consumer.seek(partition, from);
        WriteBatch batch = new WriteBatch();
        // position() also moves past transaction markers and aborted records, which poll() never returns.
        while (consumer.position(partition) < to) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                if (record.offset() >= to) {
                    break;
                }
                records++;
                handle(record, state, batch);
                if (batch.size() >= BATCH) {
                    write(batch);
                    batch = new WriteBatch();
                }
            }
            progress.update(records, total);
        }
        write(batch);
    }

    private void handle(ConsumerRecord<byte[], byte[]> record, PartitionState state, WriteBatch batch) {
        DecodedCommand decoded = DecodedCommand.decode(commands, operator, record.partition(), record.key(),
                record.value(), record.headers());
        Handled<Void> handled = CommandHandler.handle(decoded, state, state, state, record.partition(), record.offset(), batch);
        if (handled instanceof Handled.DeadLettered<Void>) {
            deadLettered++;
        } else if (handled instanceof Handled.Repeated<Void>) {
            repeated++;
        } else {
            applied++;
        }
    }

    private void write(WriteBatch batch) {
        if (batch.isEmpty()) {
            return;
        }
        awaitWrites();
        writing = CompletableFuture.runAsync(() -> writeOrName(batch), writer);
    }

    /**
     * The live processor dead-letters a record whose rows PostgreSQL refuses (DATABASE_REFUSED) and goes on. A
     * replay stops instead and names the records: the target refusing what the live database took, or the other
     * way round, is a difference between the two databases that a replay must not hide.
     */
    private void writeOrName(WriteBatch batch) {
        try {
            target.write(batch);
        } catch (RuntimeException e) {
            List<Verdict.Refused> refused;
            try {
                refused = target.refused(batch);
            } catch (RuntimeException probeFailed) {
                e.addSuppressed(probeFailed);
                throw e;
            }
            if (refused.isEmpty()) {
                throw e;
            }
            throw new IllegalStateException("the target database refuses the rows of " + refused.size()
                    + " record(s): " + refused.stream().map(r -> r.sourcePartition() + "@" + r.sourceOffset()
                    + " (" + r.reason() + ")").toList() + "; the live processor dead-letters such records"
                    + " (DATABASE_REFUSED, see persona.inbound.commands.dlq). Fix the cause and replay again.", e);
        }
    }

    private void awaitWrites() {
        try {
            writing.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    private static Map<Integer, Long> byPartition(Map<TopicPartition, Long> offsets) {
        Map<Integer, Long> result = new TreeMap<>();
        offsets.forEach((partition, offset) -> result.put(partition.partition(), offset));
        return result;
    }

    @Override
    public void close() {
        writer.shutdownNow();
    }
}
