package com.personasettings.bench;

import com.personasettings.processor.db.NumberRow;
import com.personasettings.processor.db.OutcomeRow;
import com.personasettings.processor.db.Repository;
import com.personasettings.processor.db.WriteBatch;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
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
 * product's own rows (one command per transaction, batched as multi-row statements, and batched by COPY), and
 * Kafka producing records the size of a command with the gateway's durability (ProducerPerformance, acks=all).
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

    /**
     * The same rows again, {@code batchSize} commands per transaction, each table's rows in one text {@code COPY ...
     * FROM STDIN} on one connection, as the processor and replay write on one: the fastest way PostgreSQL takes rows
     * from such a writer. It does less than they must (no conflict handling: every row here is new; no query for
     * commands seen before), so it bounds them from above.
     */
    public static Postgres postgresCopy(Repository repository, int commands, int batchSize) {
        Histogram latency = new Histogram(TimeUnit.MINUTES.toMicros(1), 3);
        long start = System.nanoTime();
        for (int from = 0; from < commands; from += batchSize) {
            WriteBatch batch = new WriteBatch();
            for (int i = from; i < Math.min(commands, from + batchSize); i++) {
                add(batch, 20_000_000 + i);
            }
            String outcomes = csv(batch.outcomes().stream().map(o -> new Object[]{o.commandId(), o.phoneNumber(),
                    o.orgId(), o.commandType(), o.actor(), o.issuedAt(), o.command(), o.sourcePartition(),
                    o.sourceOffset(), o.succeeded(), o.result(), o.errors()}).toList());
            String numbers = csv(batch.numbers().stream().map(n -> new Object[]{n.phoneNumber(), n.id(), n.orgId(),
                    n.label(), n.personaId(), n.personaSettings(), n.updatedAt(), n.sourceOffset(), n.released()}).toList());
            long before = System.nanoTime();
            repository.jdbi().useTransaction(handle -> {
                try {
                    CopyManager copy = handle.getConnection().unwrap(PGConnection.class).getCopyAPI();
                    copy.copyIn("""
                            copy command_outcomes (command_id, phone_number, org_id, command_type, actor, issued_at,
                                                   command, source_partition, source_offset, succeeded, result, errors)
                            from stdin (format csv)""", new StringReader(outcomes));
                    copy.copyIn("""
                            copy inbound_numbers (phone_number, id, org_id, label, persona_id, persona_settings,
                                                  updated_at, source_offset, released)
                            from stdin (format csv)""", new StringReader(numbers));
                } catch (IOException | SQLException e) {
                    throw new IllegalStateException("COPY failed", e);
                }
            });
            latency.recordValue((System.nanoTime() - before) / 1_000);
        }
        return new Postgres(latency, commands / ((System.nanoTime() - start) / 1e9));
    }

    /** CSV as COPY reads it: a null is an empty field, anything else is quoted (its quotes doubled). */
    private static String csv(List<Object[]> rows) {
        StringBuilder out = new StringBuilder();
        for (Object[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                if (i > 0) {
                    out.append(',');
                }
                if (row[i] != null) {
                    out.append('"').append(row[i].toString().replace("\"", "\"\"")).append('"');
                }
            }
            out.append('\n');
        }
        return out.toString();
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
