package com.personasettings.torture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.personasettings.schemas.CommandOutcome;
import com.personasettings.schemas.InboundCommand;
import com.personasettings.schemas.Topics;
import com.personasettings.schemas.registry.AvroDeserializer;
import com.personasettings.schemas.registry.SchemaRegistryClient;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import javax.sql.DataSource;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/** Reads {@link LedgerData} from PostgreSQL and Kafka, after waiting until the processors have caught up. */
final class LedgerReader {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CATCH_UP = Duration.ofMinutes(3);

    private final String bootstrapServers;
    private final SchemaRegistryClient registry;
    private final DataSource database;

    LedgerReader(String bootstrapServers, String registryUrl, DataSource database) {
        this.bootstrapServers = bootstrapServers;
        this.registry = new SchemaRegistryClient(registryUrl);
        this.database = database;
    }

    /**
     * Waits until the processors' committed offsets reach the end of the command log: their commits are
     * transactions that include the database rows (written just before), so every command is then recorded.
     */
    void awaitCaughtUp() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers));
             KafkaConsumer<byte[], byte[]> consumer = consumer("read_uncommitted")) {
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions(consumer, Topics.COMMANDS));
            Await.until("the processors processing the whole command log", CATCH_UP, () -> {
                var behind = ProcessorGroup.behind(admin, end);
                if (!behind.isEmpty()) {
                    throw new IllegalStateException("committed/end: " + behind + "; " + ProcessorGroup.summary(admin));
                }
                return true;
            });
        }
    }

    LedgerData read() throws Exception {
        List<LedgerData.LoggedCommand> log = new ArrayList<>();
        long undecodable = 0;
        AvroDeserializer<InboundCommand> commands = new AvroDeserializer<>(InboundCommand.class, registry);
        for (ConsumerRecord<byte[], byte[]> record : readAll(Topics.COMMANDS, "read_uncommitted")) {
            try {
                InboundCommand command = commands.deserialize(record.topic(), record.headers(), record.value());
                log.add(new LedgerData.LoggedCommand(command.getCommandId(), command.getPhoneNumber(),
                        record.partition(), record.offset()));
            } catch (RuntimeException e) {
                undecodable++;
            }
        }
        Map<UUID, List<String>> outcomes = new HashMap<>();
        AvroDeserializer<CommandOutcome> outcomeReader = new AvroDeserializer<>(CommandOutcome.class, registry);
        for (ConsumerRecord<byte[], byte[]> record : readAll(Topics.OUTCOMES, "read_committed")) {
            CommandOutcome outcome = outcomeReader.deserialize(record.topic(), record.headers(), record.value());
            outcomes.computeIfAbsent(outcome.getCommandId(), id -> new ArrayList<>()).add(outcome.toString());
        }
        long deadLetters = readAll(Topics.COMMANDS_DLQ, "read_committed").size();
        return new LedgerData(rows(), numbers(), log, undecodable, outcomes, deadLetters);
    }

    private List<LedgerData.OutcomeRow> rows() throws Exception {
        List<LedgerData.OutcomeRow> rows = new ArrayList<>();
        try (var connection = database.getConnection(); var statement = connection.createStatement();
             var result = statement.executeQuery("""
                     select command_id, phone_number, command_type, issued_at, command::text, source_partition,
                            source_offset, succeeded, result::text, errors::text
                     from command_outcomes order by source_partition, source_offset""")) {
            while (result.next()) {
                rows.add(new LedgerData.OutcomeRow(result.getObject(1, UUID.class), result.getString(2),
                        result.getString(3), result.getObject(4, OffsetDateTime.class).toInstant(),
                        JSON.readTree(result.getString(5)), result.getInt(6), result.getLong(7), result.getBoolean(8),
                        json(result.getString(9)), json(result.getString(10))));
            }
        }
        return rows;
    }

    /** A JSON column; SQL NULL as a JSON null. */
    private static JsonNode json(String text) throws Exception {
        return text == null ? NullNode.getInstance() : JSON.readTree(text);
    }

    private Map<String, LedgerData.NumberRow> numbers() throws Exception {
        Map<String, LedgerData.NumberRow> numbers = new LinkedHashMap<>();
        try (var connection = database.getConnection(); var statement = connection.createStatement();
             var result = statement.executeQuery("""
                     select phone_number, id, persona_id, persona_settings::text, updated_at, source_offset, released
                     from inbound_numbers order by phone_number""")) {
            while (result.next()) {
                String settings = result.getString(4);
                numbers.put(result.getString(1), new LedgerData.NumberRow(result.getString(1),
                        result.getObject(2, Long.class), result.getString(3), settings == null ? null : JSON.readTree(settings),
                        result.getObject(5, OffsetDateTime.class).toInstant(), result.getLong(6), result.getBoolean(7)));
            }
        }
        return numbers;
    }

    /** Every record of a topic up to the end it has now (for read_committed: up to its last stable offset). */
    private List<ConsumerRecord<byte[], byte[]>> readAll(String topic, String isolation) throws Exception {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(isolation)) {
            List<TopicPartition> partitions = partitions(consumer, topic);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            Await.until("reading " + topic + " to its end", Duration.ofMinutes(2), () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p));
            });
            return records;
        }
    }

    private static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String topic) {
        return consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
    }

    private KafkaConsumer<byte[], byte[]> consumer(String isolation) {
        return new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrapServers, "isolation.level", isolation,
                "enable.auto.commit", false, "max.poll.records", 5_000),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
