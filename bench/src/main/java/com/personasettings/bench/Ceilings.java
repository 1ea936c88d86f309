package com.personasettings.bench;

import com.personasettings.processor.db.NumberRow;
import com.personasettings.processor.db.OutcomeRow;
import com.personasettings.processor.db.Repository;
import com.personasettings.processor.db.WriteBatch;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the machine can do without the product in the way, measured in the same run: PostgreSQL writing the
 * product's own rows (one command per transaction, and batched), and Kafka producing records the size of a
 * command with the gateway's durability (ProducerPerformance, acks=all).
 */
public final class Ceilings {

    /**
     * @param latency microseconds per one-command transaction
     * @param perSecond commands per second
     */
    public record Postgres(Histogram latency, double perSecond) {
    }

    private static final Pattern PRODUCER_SUMMARY = Pattern.compile("records sent, ([0-9.]+) records/sec");

    private Ceilings() {
    }

    /** One command (its outcome row and its number's upsert) per transaction, one after another. */
    public static Postgres postgresOneCommandPerTransaction(Repository repository, int commands) {
        Histogram latency = new Histogram(TimeUnit.MINUTES.toMicros(1), 3);
        long start = System.nanoTime();
        for (int i = 0; i < commands; i++) {
            WriteBatch batch = new WriteBatch();
            add(batch, i);
            long before = System.nanoTime();
            repository.write(batch);
            latency.recordValue((System.nanoTime() - before) / 1_000);
        }
        return new Postgres(latency, commands / ((System.nanoTime() - start) / 1e9));
    }

    /** The same rows, {@code batchSize} commands per transaction, as the processor and replay write them. */
    public static Postgres postgresBatched(Repository repository, int commands, int batchSize) {
        Histogram latency = new Histogram(TimeUnit.MINUTES.toMicros(1), 3);
        long start = System.nanoTime();
        for (int from = 0; from < commands; from += batchSize) {
            WriteBatch batch = new WriteBatch();
            for (int i = from; i < Math.min(commands, from + batchSize); i++) {
                add(batch, 10_000_000 + i);
            }
            long before = System.nanoTime();
            repository.write(batch);
            latency.recordValue((System.nanoTime() - before) / 1_000);
        }
        return new Postgres(latency, commands / ((System.nanoTime() - start) / 1e9));
    }

    private static final UUID BENCH_ORG = UUID.fromString("be9c0000-0000-4000-8000-000000000001");

    /** Rows shaped like the processor's for a settings change: distinct numbers, realistic JSON. */
    private static void add(WriteBatch batch, int i) {
        String phone = String.format("+1999%07d", i);
        Instant now = Instant.now();
        String settings = "{\"pathway_id\": \"pathway_" + i % 50 + "\", \"start_node_id\": \"node_" + i % 20 + "\"}";
        batch.addOutcome(new OutcomeRow(UUID.randomUUID(), phone, BENCH_ORG, "UpdatePersonaSettings", "key:bench",
                now, "{\"persona_id\": \"12345678-1234-1234-1234-123456789012\", \"persona_settings\": " + settings + "}",
                0, i, true, "{\"id\": " + i + ", \"phone_number\": \"" + phone + "\", \"org_id\": \"" + BENCH_ORG
                + "\", \"label\": \"bench line\", \"persona_id\": \"12345678-1234-1234-1234-123456789012\", "
                + "\"persona_settings\": " + settings + ", \"updated_at\": \"2026-11-28T12:00:00.000Z\"}", null));
        batch.changeNumber(new NumberRow(phone, (long) i, BENCH_ORG, "bench line", "12345678-1234-1234-1234-123456789012",
                settings, now, i, false), 0);
    }

    /**
     * Kafka's ProducerPerformance in its own JVM, with this JVM's class path: {@code records} records of
     * {@code recordSize} bytes as fast as the broker takes them, acks=all like the gateway.
     *
     * @return records per second
     */
    public static double kafkaProduce(String bootstrapServers, String topic, int records, int recordSize)
            throws IOException, InterruptedException {
        // The broker does not create topics on first use; six partitions like the commands topic.
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            admin.createTopics(List.of(new NewTopic(topic, 6, (short) -1))).all().get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not create " + topic, e.getCause());
        }
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                "org.apache.kafka.tools.ProducerPerformance",
                "--topic", topic, "--num-records", Integer.toString(records),
                "--record-size", Integer.toString(recordSize), "--throughput", "-1",
                "--producer-props", "bootstrap.servers=" + bootstrapServers, "acks=all", "linger.ms=5"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException("ProducerPerformance failed:\n" + output);
        }
        Matcher summary = null;
        for (String line : output.lines().toList()) {
            Matcher m = PRODUCER_SUMMARY.matcher(line);
            if (m.find()) {
                summary = m;
            }
        }
        if (summary == null) {
            throw new IllegalStateException("no summary in ProducerPerformance's output:\n" + output);
        }
        return Double.parseDouble(summary.group(1));
    }
}
