package com.personasettings.bench;

import com.personasettings.processor.stream.CommandTopology;
import com.personasettings.schemas.InboundCommand;
import com.personasettings.schemas.PersonaSettings;
import com.personasettings.schemas.Topics;
import com.personasettings.schemas.UpdatePersonaSettings;
import com.personasettings.schemas.registry.SchemaRegistryClient;
import com.personasettings.devstack.FileTrees;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * What the processor's dedup store costs as the system ages: after N commands, the store's size on disk and in
 * its changelog topic, and the time to RUNNING after a clean restart and after losing the local state (kill -9
 * under exactly-once, a new host), which restores every store from its changelog.
 *
 * <p>The commands are settings changes for numbers that were never provisioned: each is refused (so the numbers
 * store stays empty and only the dedup store grows), and each costs what any command costs the dedup store.
 * With {@code age}, the figures are taken again once the commands are older than that (the window and the
 * changelog's retention), after a few more commands move the store's time on.
 */
public final class StoreBenchmark {

    /** One measurement point. */
    public record Point(long commands, String when, long storeBytes, long changelogBytes, double drainPerSecond,
                        Duration cleanRestart, Duration restartWithoutLocalState) {
    }

    private final PrintStream log;
    private final String launcherMainClass;

    /** @param launcherMainClass the {@code ./persona-settings} main class, run for the processor */
    public StoreBenchmark(PrintStream log, String launcherMainClass) {
        this.log = log;
        this.launcherMainClass = launcherMainClass;
    }

    /**
     * @param counts cumulative command counts to measure at, ascending
     * @param age    null: measure right after draining; otherwise also after waiting this long
     */
    public List<Point> run(Path workDir, List<Long> counts, Map<String, String> processorSettings, Duration age)
            throws Exception {
        List<Point> points = new ArrayList<>();
        try (BenchStack stack = BenchStack.start(workDir, launcherMainClass, processorSettings)) {
            SchemaRegistryClient registry = new SchemaRegistryClient(stack.registry.url());
            stack.startProcessor();
            long written = 0;
            for (long count : counts) {
                stack.stopProcessor();
                log.printf("Writing %,d commands (to %,d) while the processor is stopped ...%n", count - written, count);
                write(stack.kafka.bootstrapServers(), registry, count - written);
                written = count;
                long start = System.nanoTime();
                stack.startProcessor();
                Benchmarks.awaitCaughtUp(stack.kafka.bootstrapServers(), stack.processorConfig().applicationId());
                double perSecond = (count - (points.isEmpty() ? 0 : points.get(points.size() - 1).commands()))
                        / ((System.nanoTime() - start) / 1e9);
                points.add(measure(stack, count, "right after", perSecond));
                if (age != null) {
                    // Twice half the age, each followed by a few commands: they move the store's time on (it drops
                    // old segments) and roll the changelog's segment, so the broker's retention can delete it.
                    for (int half = 0; half < 2; half++) {
                        log.printf("Waiting %s for the commands to age ...%n", age.dividedBy(2));
                        Thread.sleep(age.toMillis() / 2); // the feature under test is time-based: wall-clock age
                        write(stack.kafka.bootstrapServers(), registry, 100);
                        written += 100;
                        Benchmarks.awaitCaughtUp(stack.kafka.bootstrapServers(), stack.processorConfig().applicationId());
                    }
                    points.add(measure(stack, count, "after " + age.toMinutes() + " min", 0));
                }
            }
        }
        return points;
    }

    private Point measure(BenchStack stack, long commands, String when, double drainPerSecond) throws Exception {
        String store = CommandTopology.OUTCOMES_STORE;
        String applicationId = stack.processorConfig().applicationId();
        stack.stopProcessor(); // a clean close flushes RocksDB's memtables: the files then hold everything
        long storeBytes = bytesUnder(stack.processorStateDir(), store);
        long changelogBytes = topicBytes(stack.kafka.bootstrapServers(), applicationId + "-" + store + "-changelog");
        Duration clean = stack.startProcessor();
        stack.stopProcessor();
        FileTrees.delete(stack.processorStateDir());
        Duration restored = stack.startProcessor();
        Point point = new Point(commands, when, storeBytes, changelogBytes, drainPerSecond, clean, restored);
        log.printf("%,d commands, %s: store %,d bytes, changelog %,d bytes, drain %,.0f/s, clean restart %.2f s,"
                        + " restart without local state %.2f s%n", commands, when, storeBytes, changelogBytes,
                drainPerSecond, clean.toMillis() / 1e3, restored.toMillis() / 1e3);
        return point;
    }

    /** Settings changes for 1,000 numbers that were never provisioned, as fast as the broker takes them. */
    private static void write(String bootstrap, SchemaRegistryClient registry, long count) {
        try (KafkaProducer<String, InboundCommand> producer = Benchmarks.bulkProducer(bootstrap, registry)) {
            Instant issued = Instant.now();
            for (long i = 0; i < count; i++) {
                String number = String.format("+1777%07d", i % 1_000);
                InboundCommand command = new InboundCommand(UUID.randomUUID(), "bench-store", issued, "bench", number,
                        new UpdatePersonaSettings("12345678-1234-1234-1234-123456789012",
                                new PersonaSettings("pathway_" + (i % 50), 2L, null)));
                producer.send(new ProducerRecord<>(Topics.COMMANDS, number, command));
            }
            producer.flush();
        }
    }

    /** Bytes of every file under a directory whose path names the store (RocksDB files, window segments). */
    private static long bytesUnder(Path stateDir, String store) throws IOException {
        if (!Files.exists(stateDir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(stateDir)) {
            return files.filter(Files::isRegularFile).filter(f -> f.toString().contains("/" + store))
                    .mapToLong(f -> {
                        try {
                            return Files.size(f);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }).sum();
        }
    }

    /** The topic's size on the broker's disks (every partition and replica). */
    private static long topicBytes(String bootstrap, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            List<Integer> brokers = admin.describeCluster().nodes().get().stream().map(n -> n.id()).toList();
            long bytes = 0;
            for (Map<String, LogDirDescription> dirs : admin.describeLogDirs(brokers).allDescriptions().get().values()) {
                for (LogDirDescription dir : dirs.values()) {
                    bytes += dir.replicaInfos().entrySet().stream().filter(e -> e.getKey().topic().equals(topic))
                            .mapToLong(e -> e.getValue().size()).sum();
                }
            }
            return bytes;
        }
    }
}
