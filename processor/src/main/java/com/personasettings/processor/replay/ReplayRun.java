package com.personasettings.processor.replay;

import com.personasettings.platform.Redact;
import com.personasettings.processor.ProcessorConfig;
import com.personasettings.processor.db.Repository;
import com.personasettings.schemas.InboundCommand;
import com.personasettings.schemas.Topics;
import com.personasettings.schemas.registry.AvroDeserializer;
import com.personasettings.schemas.registry.SchemaRegistryClient;
import com.personasettings.platform.DataSources;
import com.personasettings.platform.Pool;
import com.zaxxer.hikari.HikariDataSource;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code persona-settings replay}: the command log named by the processor's settings replayed into a target
 * database (a new one next to the live database unless given), then, when asked, compared with the live one.
 *
 * @param targetUrl  JDBC URL of the database to replay into; null creates a fresh one
 * @param verifyWait how long verification waits for the live processor to reach the replay's end
 */
public record ReplayRun(StartPosition from, String targetUrl, boolean verify, Duration verifyWait) {

    /** Exit status when the replayed database differs from the live one. */
    public static final int DIFFERENT = 1;

    /** Replays, verifies when asked, and returns the exit status: 0, or {@link #DIFFERENT}. */
    public int run(ProcessorConfig config, PrintStream out, Progress progress) throws InterruptedException {
        try (KafkaConsumer<byte[], byte[]> consumer = Replay.consumer(config.kafkaClient())) {
            // A start the topic does not have fails here, before a database is created for nothing.
            Replay.start(consumer, from);
            String target = targetUrl != null ? targetUrl
                    : FreshDatabase.create(config.databaseUrl(), config.databaseUser(), config.databasePassword(),
                    Clock.systemUTC());
            out.println("Replaying " + Topics.COMMANDS + " " + describe(from) + " into " + target);
            return replay(consumer, target, config, out, progress);
        }
    }

    private int replay(KafkaConsumer<byte[], byte[]> consumer, String target, ProcessorConfig config, PrintStream out,
                       Progress progress) throws InterruptedException {
        // The replay writes one batch at a time and the comparison reads on one connection: 2 leaves a spare.
        try (HikariDataSource targetData = DataSources.pooled(config.database().at(target), Pool.of("replay-target", 2))) {
            Repository.migrate(targetData);
            Repository replayed = new Repository(targetData);
            Replay.Result result;
            try (Replay replay = new Replay(consumer, new AvroDeserializer<>(InboundCommand.class,
                    new SchemaRegistryClient(config.schemaRegistryUrl())), config.operatorSignature(), replayed,
                    progress)) {
                result = replay.run(from);
            }
            out.printf("Replayed %,d records in %.1f s (%,.0f records/s): %,d commands applied, %,d repeated ids,"
                            + " %,d dead-lettered.%n", result.records(), result.elapsed().toMillis() / 1000.0,
                    result.recordsPerSecond(), result.applied(), result.repeated(), result.deadLettered());
            out.println("Replayed up to (excluding) offsets " + offsets(result.end()));
            return verify ? verify(config, replayed, result, out) : 0;
        }
    }

    private int verify(ProcessorConfig config, Repository replayed, Replay.Result result, PrintStream out)
            throws InterruptedException {
        try (Admin admin = Admin.create(config.kafkaClient())) {
            LiveProcessor.awaitCaughtUp(admin, Topics.COMMANDS, config.applicationId(), result.end(), verifyWait);
        }
        out.println("Verifying against " + Redact.url(config.databaseUrl()));
        // The comparison reads the live tables in one transaction, beside one on the replayed database.
        try (HikariDataSource liveData = DataSources.pooled(config.database(), Pool.of("replay-live", 1))) {
            DatabaseComparison.Summary summary = new DatabaseComparison(new Repository(liveData).jdbi(),
                    replayed.jdbi(), result.end()).compare(difference -> out.println("DIFFERENT " + difference));
            String counts = String.format("%,d numbers and %,d outcomes", summary.numbers(), summary.outcomes());
            String skipped = summary.skipped() == 0 ? "" : String.format(
                    " (%,d numbers changed in live after the replay's end were not compared)", summary.skipped());
            if (summary.identical()) {
                out.println("Identical: " + counts + skipped + ".");
                return 0;
            }
            out.printf("%,d differences in %s%s.%n", summary.differences(), counts, skipped);
            return DIFFERENT;
        }
    }

    private static String describe(StartPosition from) {
        if (from instanceof StartPosition.Timestamp timestamp) {
            return "from " + timestamp.timestamp();
        } else if (from instanceof StartPosition.Offsets offsets) {
            return "from offsets " + offsets(offsets.offsets());
        }
        return "from the beginning";
    }

    private static String offsets(Map<Integer, Long> offsets) {
        return offsets.entrySet().stream().map(e -> e.getKey() + ":" + e.getValue()).collect(Collectors.joining(","));
    }
}
