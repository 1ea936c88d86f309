package com.personasettings.processor;

import com.personasettings.schemas.CommandOutcome;
import com.personasettings.schemas.InboundCommand;
import com.personasettings.schemas.ProvisionNumber;
import com.personasettings.schemas.Topics;
import com.personasettings.schemas.registry.SchemaRegistryClient;
import com.personasettings.testkit.KafkaBroker;
import com.personasettings.testkit.SharedInfrastructure;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.streams.KafkaStreams;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.jdbi.v3.core.Jdbi;
import org.postgresql.ds.PGSimpleDataSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

import static com.personasettings.processor.KafkaClients.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Arbitrary records straight onto the commands topic of a running processor (real broker, registry and
 * PostgreSQL): commands with any string in any field (NUL, surrogates, 64 KiB), extreme timestamps, payload
 * branches of a newer contract version, keys that do not match, and plain bytes, some of them shaped like the
 * wire format. Invariants, for every record: it ends as an outcome row or a dead letter, and a valid command
 * sent right after it to the same partition is answered. The number of tries is jqwik's
 * {@code jqwik.tries.default} (200 here; {@code -Djqwik.tries.default=10000} for the long run).
 */
class KafkaFuzzIT {

    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(20);

    private static KafkaBroker kafka;
    private static ProcessorApp processor;
    private static KafkaFuzzRecords records;
    private static KafkaProducer<byte[], byte[]> raw;
    private static KafkaProducer<String, InboundCommand> commands;
    private static KafkaClients.TopicReader<CommandOutcome> replies;
    private static KafkaClients.TopicReader<byte[]> deadLetters;
    private static Jdbi database;
    private static final Map<String, AtomicLong> fates = new ConcurrentSkipListMap<>();
    private static final AtomicLong probes = new AtomicLong();

    @BeforeContainer
    static void start() {
        // jqwik runs tries on its own thread; Awaitility's default poller thread would touch the consumers too.
        Awaitility.pollInSameThread();
        kafka = KafkaBroker.start(SharedInfrastructure.workDir().resolve("kafka-fuzz"));
        SchemaRegistryClient registry = new SchemaRegistryClient(SharedInfrastructure.registry().url());
        String url = SharedInfrastructure.postgres().createDatabase("kafka_fuzz");
        processor = ProcessorApp.start(ProcessorConfig.from(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                "SCHEMA_REGISTRY_URL", registry.baseUrl(),
                "DATABASE_URL", url,
                "PROCESSOR_HTTP_PORT", "0", "PROCESSOR_STATE_DIR", SharedInfrastructure.workDir().resolve("kafka-fuzz-state").toString(),
                "TOPIC_PARTITIONS", "3")));
        await().atMost(Duration.ofSeconds(60)).until(() -> processor.streams().state() == KafkaStreams.State.RUNNING);
        records = new KafkaFuzzRecords(registry);
        raw = KafkaClients.rawProducer(kafka.bootstrapServers());
        commands = KafkaClients.commandProducer(kafka.bootstrapServers(), registry);
        replies = KafkaClients.outcomes(kafka.bootstrapServers(), registry, Topics.REPLIES);
        deadLetters = KafkaClients.raw(kafka.bootstrapServers(), Topics.COMMANDS_DLQ);
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(url);
        dataSource.setUser("postgres");
        database = Jdbi.create(dataSource);
    }

    @AfterContainer
    static void stop() throws Exception {
        Awaitility.reset();
        System.out.printf("Kafka fuzz: %,d records tried, %,d valid commands answered after them; fates: %s%n",
                fates.values().stream().mapToLong(AtomicLong::get).sum(), probes.get(), fates);
        for (AutoCloseable client : new AutoCloseable[] {deadLetters, replies, commands, raw, processor, kafka}) {
            try {
                client.close();
            } catch (Exception e) {
                System.err.println("while closing " + client + ": " + e); // a failed try may have left one busy
            }
        }
    }

    @Provide
    Arbitrary<KafkaFuzzRecords.FuzzRecord> records() {
        return records.any();
    }

    @Property
    void everyRecordEndsAsAnOutcomeOrADeadLetterAndTheNextCommandIsAnswered(
            @ForAll("records") KafkaFuzzRecords.FuzzRecord record) throws Exception {
        RecordMetadata sent = raw.send(record.toProducerRecord()).get();

        // A valid command right behind it, on the same partition: answered only if the fuzzed record did not
        // stop the partition (a partition is processed in order).
        String probeId = UUID.randomUUID().toString();
        InboundCommand probe = new InboundCommand(UUID.randomUUID(), KafkaFuzzRecords.FUZZ_ORG, Instant.now(), "fuzz",
                KafkaFuzzRecords.probeNumber(), new ProvisionNumber(1L, "probe"));
        ProducerRecord<String, InboundCommand> probeRecord = new ProducerRecord<>(Topics.COMMANDS, sent.partition(),
                probe.getPhoneNumber(), probe);
        probeRecord.headers().add(Topics.REPLY_TO_HEADER, Topics.REPLIES.getBytes(StandardCharsets.UTF_8))
                .add(Topics.CORRELATION_ID_HEADER, probeId.getBytes(StandardCharsets.UTF_8));
        commands.send(probeRecord).get();
        CommandOutcome answer = await().atMost(PROBE_TIMEOUT).until(
                () -> replies.matching(r -> probeId.equals(header(r, Topics.CORRELATION_ID_HEADER))),
                list -> !list.isEmpty()).get(0).value();
        assertThat(answer.getCommandId()).isEqualTo(probe.getCommandId());
        probes.incrementAndGet();

        String fate = fate(sent.partition(), sent.offset()).orElseThrow(() -> new AssertionError(
                "no outcome row and no dead letter for " + record + " at " + sent.partition() + "@" + sent.offset()));
        fates.computeIfAbsent(fate, f -> new AtomicLong()).incrementAndGet();
    }

    /** Dead letters read so far, by source partition and offset → reason. */
    private static final Map<String, String> deadLettered = new java.util.HashMap<>();

    /** "outcome ok", "outcome INVALID_REQUEST", "dead letter UNDESERIALIZABLE", ... or empty when it has none. */
    private static Optional<String> fate(int partition, long offset) {
        Optional<String> outcome = database.withHandle(handle -> handle.createQuery("""
                        select case when succeeded then 'ok' else errors -> 0 ->> 'error' end
                        from command_outcomes where source_partition = :p and source_offset = :o""")
                .bind("p", partition).bind("o", offset).mapTo(String.class).findFirst());
        if (outcome.isPresent()) {
            return Optional.of("outcome " + outcome.get());
        }
        String position = partition + "@" + offset;
        try {
            // Committed in the same transaction as the probe's reply or an earlier one: a few polls at most.
            return Optional.of("dead letter " + await().atMost(Duration.ofSeconds(10)).until(() -> {
                deadLetters.pollNew().forEach(r -> deadLettered.put(header(r, Topics.DLQ_PARTITION_HEADER) + "@"
                        + header(r, Topics.DLQ_OFFSET_HEADER), header(r, Topics.DLQ_REASON_HEADER)));
                return deadLettered.get(position);
            }, reason -> reason != null));
        } catch (ConditionTimeoutException none) {
            return Optional.empty();
        }
    }
}
