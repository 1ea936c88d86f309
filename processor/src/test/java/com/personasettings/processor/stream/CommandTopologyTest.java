package com.personasettings.processor.stream;

import com.personasettings.processor.ProcessorApp;
import com.personasettings.processor.TestCommands;
import com.personasettings.processor.db.OutcomeRow;
import com.personasettings.processor.db.PendingWrites;
import com.personasettings.processor.db.WriteBatch;
import com.personasettings.schemas.CommandOutcome;
import com.personasettings.schemas.InboundCommand;
import com.personasettings.schemas.InboundNumber;
import com.personasettings.schemas.Topics;
import com.personasettings.schemas.registry.SchemaRegistryClient;
import com.personasettings.testkit.SharedInfrastructure;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import com.personasettings.processor.metrics.ProcessingMetrics;
import com.personasettings.platform.ops.Tracing;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import static com.personasettings.processor.TestCommands.OTHER_PERSONA;
import static com.personasettings.processor.TestCommands.PERSONA;
import static com.personasettings.processor.TestCommands.settings;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The topology production runs ({@link CommandTopology#build}), driven by TopologyTestDriver with serdes
 * against a real schema registry. Database writes are only queued here (the driver has no real producer
 * to commit through); {@code ProcessorIT} covers them end to end.
 */
class CommandTopologyTest {

    private static final String PHONE = "+14155551234";
    private static final String REPLIES = Topics.REPLIES + ".gateway-1";
    private static final Duration DEDUP_WINDOW = Duration.ofHours(1);

    private static TopologySerdes serdes;

    /** What each commit wrote: the outcome rows (copied, as the batch is reused after the commit). */
    private final List<List<OutcomeRow>> committed = new ArrayList<>();
    private final TestCommands commands = new TestCommands();
    private TopologyTestDriver driver;
    private PendingWrites writes;
    private TestInputTopic<byte[], byte[]> input;
    private TestOutputTopic<String, CommandOutcome> outcomes;
    private TestOutputTopic<String, CommandOutcome> replies;
    private TestOutputTopic<String, InboundNumber> numbers;
    private TestOutputTopic<byte[], byte[]> deadLetters;
    private SimpleMeterRegistry meters;
    private Serializer<InboundCommand> commandSerializer;

    @BeforeAll
    static void registry() {
        serdes = ProcessorApp.serdes(new SchemaRegistryClient(SharedInfrastructure.registry().url()));
    }

    @BeforeEach
    void start() {
        meters = new SimpleMeterRegistry();
        ProcessingMetrics metrics = new ProcessingMetrics(meters);
        writes = new PendingWrites(batch -> committed.add(List.copyOf(batch.outcomes())), Duration.ZERO, metrics);
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "topology-test");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        config.put(StreamsConfig.STATE_DIR_CONFIG, Path.of("target", "topology-test", UUID.randomUUID().toString()).toString());
        driver = new TopologyTestDriver(
                CommandTopology.build(serdes, OperatorSignature.none(), writes,
                        ReplyPolicy.parse("persona.inbound.replies*", topic -> !topic.endsWith(".gone")), DEDUP_WINDOW,
                        CommitPacer.of(true), metrics, Tracing.off().tracer()), config);
        input = driver.createInputTopic(Topics.COMMANDS, new ByteArraySerializer(), new ByteArraySerializer());
        outcomes = driver.createOutputTopic(Topics.OUTCOMES, new StringDeserializer(), serdes.outcome().deserializer());
        replies = driver.createOutputTopic(REPLIES, new StringDeserializer(), serdes.outcome().deserializer());
        numbers = driver.createOutputTopic(Topics.NUMBERS, new StringDeserializer(), serdes.number().deserializer());
        deadLetters = driver.createOutputTopic(Topics.COMMANDS_DLQ, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        commandSerializer = serdes.command().serializer();
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void theCommandsTraceGoesOnToItsOutcomeAndReply() {
        String trace = "4bf92f3577b34da6a3ce929d0e0e4736";
        send(commands.provision(PHONE, 42), replyHeaders(REPLIES, "corr-t")
                .add("traceparent", bytes("00-" + trace + "-00f067aa0ba902b7-01")));

        assertThat(header(outcomes.readRecord().headers(), "traceparent")).startsWith("00-" + trace + "-");
        assertThat(header(replies.readRecord().headers(), "traceparent")).startsWith("00-" + trace + "-");

        send(commands.attach(PHONE, PERSONA));
        assertThat(outcomes.readRecord().headers().lastHeader("traceparent"))
                .as("a command without a trace starts none here (tracing off)").isNull();
    }

    @Test
    void settingsUpdateOfAnAttachedNumberEmitsOutcomeReplyAndNewState() {
        send(commands.provision(PHONE, 42));
        send(commands.attach(PHONE, PERSONA));
        outcomes.readRecordsToList();
        numbers.readRecordsToList();

        InboundCommand update = commands.update(PHONE, PERSONA, settings("pathway_abc123", 2L, "node_xyz"));
        send(update, replyHeaders(REPLIES, "corr-1"));

        CommandOutcome outcome = outcomes.readValue();
        assertThat(outcome.getCommandId()).isEqualTo(update.getCommandId());
        assertThat(outcome.getErrors()).isNull();
        assertThat(outcome.getData().getId()).isEqualTo(42);
        assertThat(outcome.getData().getPersonaId()).isEqualTo(PERSONA);
        assertThat(outcome.getData().getPersonaSettings().getPathwayId()).isEqualTo("pathway_abc123");
        assertThat(outcome.getData().getPersonaSettings().getPathwayVersion()).isEqualTo(2L);
        assertThat(outcome.getData().getUpdatedAt()).isEqualTo(update.getIssuedAt());

        TestRecord<String, CommandOutcome> reply = replies.readRecord();
        assertThat(reply.key()).isEqualTo(PHONE);
        assertThat(reply.value()).isEqualTo(outcome);
        assertThat(header(reply.headers(), Topics.CORRELATION_ID_HEADER)).isEqualTo("corr-1");

        TestRecord<String, InboundNumber> state = numbers.readRecord();
        assertThat(state.key()).isEqualTo(PHONE);
        assertThat(state.value()).isEqualTo(outcome.getData());
    }

    @Test
    void repliesAreWrittenUnderTheOutcomesSubjectNotOneSubjectPerReplyTopic() throws Exception {
        String replyTopic = "persona.inbound.replies.subject-" + UUID.randomUUID();
        TestOutputTopic<String, CommandOutcome> mine = driver.createOutputTopic(replyTopic, new StringDeserializer(),
                serdes.outcome().deserializer());

        send(commands.provision(PHONE, 42), replyHeaders(replyTopic, "corr-s"));

        assertThat(mine.readValue()).isEqualTo(outcomes.readValue());
        SchemaRegistryClient registry = new SchemaRegistryClient(SharedInfrastructure.registry().url());
        assertThat(registry.subjects()).contains(Topics.OUTCOMES + "-value").doesNotContain(replyTopic + "-value");
    }

    @Test
    void notAttachedNumberIsInboundNotFoundAndChangesNothing() {
        send(commands.provision(PHONE, 42));
        numbers.readRecordsToList();
        outcomes.readRecordsToList();

        send(commands.update(PHONE, PERSONA, settings("p", 1L, null)));

        CommandOutcome outcome = outcomes.readValue();
        assertThat(outcome.getData()).isNull();
        assertThat(outcome.getErrors()).singleElement().satisfies(error -> {
            assertThat(error.getError()).isEqualTo("INBOUND_NOT_FOUND");
            assertThat(error.getMessage()).isEqualTo("Inbound number not found or not attached to this persona");
        });
        assertThat(numbers.isEmpty()).isTrue();
    }

    @Test
    void commandSeenAgainReturnsItsFirstOutcomeAndChangesNothing() {
        send(commands.provision(PHONE, 42));
        send(commands.attach(PHONE, PERSONA));
        InboundCommand update = commands.update(PHONE, PERSONA, settings("first", 1L, null));
        send(update);
        send(commands.update(PHONE, PERSONA, settings("second", 2L, null)));
        outcomes.readRecordsToList();
        numbers.readRecordsToList();

        send(update, replyHeaders(REPLIES, "retry"));

        CommandOutcome again = outcomes.readValue();
        assertThat(again.getCommandId()).isEqualTo(update.getCommandId());
        assertThat(again.getData().getPersonaSettings().getPathwayId()).isEqualTo("first");
        assertThat(replies.readValue()).isEqualTo(again);
        assertThat(numbers.isEmpty()).as("a duplicate publishes no new state").isTrue();
        assertThat(currentState().getPersonaSettings().getPathwayId()).isEqualTo("second");
    }

    @Test
    void aNumberStoredBeforeTheStoreHeldBytesIsReadAsItWas() {
        // Until the store's values were NumberCodec bytes, Kafka Streams serialized them for the changelog's own
        // subject; a restore brings such values back as they were.
        InboundNumber stored = InboundNumber.newBuilder().setId(42).setPhoneNumber(PHONE).setOrgId(TestCommands.ORG)
                .setLabel("line 42").setPersonaId(PERSONA).setPersonaSettings(null)
                .setUpdatedAt(Instant.parse("2025-09-23T15:00:00Z")).build();
        driver.<String, byte[]>getKeyValueStore(CommandTopology.NUMBERS_STORE).put(PHONE,
                serdes.number().serializer().serialize("topology-test-numbers-changelog", stored));

        InboundCommand update = commands.update(PHONE, PERSONA, settings("p", 1L, "n"));
        send(update);

        CommandOutcome outcome = outcomes.readValue();
        assertThat(outcome.getErrors()).isNull();
        assertThat(outcome.getData().getLabel()).isEqualTo("line 42");
        InboundNumber published = numbers.readValue();
        assertThat(published.getPersonaSettings().getPathwayId()).isEqualTo("p");
        assertThat(currentState()).isEqualTo(published);
    }

    @Test
    void theStateStoreForgetsACommandIdOnceItLeavesTheDedupWindow() {
        send(commands.provision(PHONE, 42));
        send(commands.attach(PHONE, PERSONA));
        InboundCommand update = commands.update(PHONE, PERSONA, settings("first", 1L, null));
        send(update);
        writes.commit();

        driver.advanceWallClockTime(DEDUP_WINDOW.minusSeconds(1));
        send(update);
        assertThat(writes.current().outcomes()).as("within the window: answered from the store").isEmpty();

        driver.advanceWallClockTime(Duration.ofSeconds(2));
        send(update);
        // Out of the window the store no longer knows the id (it stays bounded); at commit the database
        // recognises it (RepositoryIT, DedupIT), here there is none, so it is decided again.
        assertThat(writes.current().outcomes()).singleElement()
                .satisfies(row -> assertThat(row.commandId()).isEqualTo(update.getCommandId()));
    }

    @Test
    void aCommandIdReusedForAnotherNumberIsDeadLetteredNotAnsweredWithSomeoneElsesOutcome() {
        InboundCommand original = commands.provision(PHONE, 42);
        send(original);
        outcomes.readRecordsToList();
        InboundCommand impostor = InboundCommand.newBuilder(commands.provision("+14155550002", 43))
                .setCommandId(original.getCommandId()).build();

        send(impostor, replyHeaders(REPLIES, "who-am-i"));

        assertThat(outcomes.isEmpty()).isTrue();
        assertThat(replies.isEmpty()).isTrue();
        assertThat(header(deadLetters.readRecord().headers(), Topics.DLQ_REASON_HEADER)).isEqualTo("REUSED_COMMAND_ID");
    }

    @Test
    void releaseTombstonesTheNumber() {
        send(commands.provision(PHONE, 42));
        send(commands.attach(PHONE, PERSONA));
        numbers.readRecordsToList();

        send(commands.release(PHONE));

        TestRecord<String, InboundNumber> tombstone = numbers.readRecord();
        assertThat(tombstone.key()).isEqualTo(PHONE);
        assertThat(tombstone.value()).isNull();
        assertThat(currentState()).isNull();
    }

    @Test
    void aRetiredPersonaLosesItsNumbersAndRefusesAttachesFromThenOn() {
        String other = "+14155559999";
        send(commands.provision(PHONE, 42));
        send(commands.provision(other, 43));
        send(commands.attach(PHONE, PERSONA));
        send(commands.attach(other, OTHER_PERSONA));
        outcomes.readRecordsToList();
        numbers.readRecordsToList();

        InboundCommand retire = commands.retire(PERSONA, 0);
        send(retire, replyHeaders(REPLIES, "corr-r"));

        CommandOutcome done = outcomes.readValue();
        assertThat(done.getCommandId()).isEqualTo(retire.getCommandId());
        assertThat(done.getData()).isNull();
        assertThat(done.getErrors()).isNull();
        assertThat(replies.readValue()).isEqualTo(done);
        TestRecord<String, InboundNumber> detached = numbers.readRecord();
        assertThat(detached.key()).isEqualTo(PHONE);
        assertThat(detached.value().getPersonaId()).isNull();
        assertThat(detached.value().getUpdatedAt()).isEqualTo(retire.getIssuedAt());
        assertThat(numbers.isEmpty()).as("the other persona's number stays").isTrue();

        send(commands.attach(PHONE, PERSONA));
        assertThat(outcomes.readValue().getErrors()).singleElement()
                .satisfies(error -> assertThat(error.getError()).isEqualTo("PERSONA_NOT_FOUND"));
        assertThat(currentState().getPersonaId()).isNull();

        // The same retirement again (the sweeper's copy) is answered with its first outcome.
        send(retire);
        assertThat(outcomes.readValue()).isEqualTo(done);
        // A copy meant for another partition is dead-lettered where it is read: no outcome, no row to take that
        // partition's id.
        send(commands.retire(OTHER_PERSONA, 5));
        assertThat(outcomes.isEmpty()).isTrue();
        assertThat(new String(deadLetters.readRecord().headers().lastHeader(Topics.DLQ_REASON_HEADER).value(),
                StandardCharsets.UTF_8)).isEqualTo("WRONG_PARTITION");
        assertThat(numbers.isEmpty()).isTrue();
    }

    @Test
    void disallowedReplyToIsIgnoredAndCountedButTheOutcomeIsStillRecorded() {
        send(commands.provision(PHONE, 42), replyHeaders("some.other.topic", "c"));

        assertThat(outcomes.readValue().getErrors()).isNull();
        assertThat(driver.producedTopicNames()).doesNotContain("some.other.topic");
        assertThat(meters.counter("persona.replies.not.sent", "reason", "disallowed").count()).isEqualTo(1.0);
    }

    @Test
    void aReplyToATopicThatDoesNotExistIsSkippedAndCountedNotRetriedForever() {
        send(commands.provision(PHONE, 42), replyHeaders(Topics.REPLIES + ".gone", "c"));

        assertThat(outcomes.readValue().getErrors()).isNull();
        assertThat(driver.producedTopicNames()).doesNotContain(Topics.REPLIES + ".gone");
        assertThat(meters.counter("persona.replies.not.sent", "reason", "missing_topic").count()).isEqualTo(1.0);
    }

    @Test
    void recordsThatCannotBeCommandsGoToTheDeadLetterTopicAndProcessingContinues() {
        InboundCommand provision = commands.provision(PHONE, 42);
        byte[] valid = commandSerializer.serialize(Topics.COMMANDS, provision);
        byte[] unknownSchemaId = valid.clone();
        unknownSchemaId[1] = 0x7f; // schema id 0x7fxxxxxx was never registered

        input.pipeInput(new TestRecord<>(null, valid));
        input.pipeInput(new TestRecord<>(bytes(PHONE), bytes("not avro at all")));
        input.pipeInput(new TestRecord<>(bytes(PHONE), unknownSchemaId));
        input.pipeInput(new TestRecord<>(bytes("+14155550000"), valid));
        input.pipeInput(new TestRecord<>(bytes(PHONE), (byte[]) null));
        send(provision);

        List<String> reasons = deadLetters.readRecordsToList().stream()
                .map(r -> header(r.headers(), Topics.DLQ_REASON_HEADER)).toList();
        assertThat(reasons).containsExactly("MISSING_KEY", "UNDESERIALIZABLE", "UNDESERIALIZABLE", "KEY_MISMATCH", "NULL_VALUE");
        assertThat(meters.counter("persona.dead.letters", "reason", "UNDESERIALIZABLE").count()).isEqualTo(2.0);
        assertThat(meters.counter("persona.commands", "command", "ProvisionNumber", "outcome", "success").count())
                .isEqualTo(1.0);
        assertThat(outcomes.readValuesToList()).singleElement()
                .satisfies(outcome -> assertThat(outcome.getCommandId()).isEqualTo(provision.getCommandId()));
    }

    @Test
    void deadLetterKeepsTheOriginalRecordAndSaysWhereItCameFrom() {
        input.pipeInput(new TestRecord<>(bytes(PHONE), bytes("garbage"), replyHeaders(REPLIES, "c-9")));

        TestRecord<byte[], byte[]> dead = deadLetters.readRecord();
        assertThat(dead.key()).isEqualTo(bytes(PHONE));
        assertThat(dead.value()).isEqualTo(bytes("garbage"));
        assertThat(header(dead.headers(), Topics.CORRELATION_ID_HEADER)).isEqualTo("c-9");
        assertThat(header(dead.headers(), Topics.DLQ_TOPIC_HEADER)).isEqualTo(Topics.COMMANDS);
        assertThat(header(dead.headers(), Topics.DLQ_OFFSET_HEADER)).isEqualTo("0");
        assertThat(header(dead.headers(), Topics.DLQ_ERROR_HEADER)).contains("magic byte");
    }

    @Test
    void everyOutcomeAndOnlyTheLastStateOfEachNumberIsQueuedForTheDatabase() {
        send(commands.provision(PHONE, 42));
        send(commands.attach(PHONE, PERSONA));
        send(commands.update(PHONE, OTHER_PERSONA, null)); // fails: not attached to that persona
        send(commands.update(PHONE, PERSONA, settings("p", 3L, null)));
        send(commands.provision("+14155550001", 43));
        send(commands.release("+14155550001"));

        WriteBatch batch = writes.current();
        assertThat(batch.outcomes()).hasSize(6);
        assertThat(batch.outcomes()).filteredOn(row -> !row.succeeded()).singleElement()
                .satisfies(row -> {
                    assertThat(row.errors()).contains("INBOUND_NOT_FOUND");
                    assertThat(row.result()).isNull();
                });
        assertThat(batch.outcomes()).filteredOn(OutcomeRow::succeeded)
                .allSatisfy(row -> assertThat(row.errors()).isNull())
                .allSatisfy(row -> assertThat(row.result()).contains("\"org_id\""));
        assertThat(batch.numbers()).hasSize(2);
        assertThat(batch.numbers().get(0)).satisfies(row -> {
            assertThat(row.phoneNumber()).isEqualTo(PHONE);
            assertThat(row.released()).isFalse();
            assertThat(row.personaSettings()).isEqualTo("{\"pathway_id\":\"p\",\"pathway_version\":3}");
        });
        // A release leaves a tombstone with the release's offset, not a delete: no older write can revive it.
        assertThat(batch.numbers().get(1)).satisfies(tombstone -> {
            assertThat(tombstone.phoneNumber()).isEqualTo("+14155550001");
            assertThat(tombstone.released()).isTrue();
            assertThat(tombstone.sourceOffset()).isEqualTo(5);
            assertThat(tombstone.id()).isNull();
            assertThat(tombstone.orgId()).isNull();
        });
        writes.commit();
        assertThat(committed).singleElement().satisfies(rows -> assertThat(rows).hasSize(6));
        assertThat(batch.isEmpty()).isTrue();
    }

    /** The store holds the number as the bytes of its {@code InboundNumber} (see {@link NumberCodec}). */
    private InboundNumber currentState() {
        byte[] value = driver.<String, byte[]>getKeyValueStore(CommandTopology.NUMBERS_STORE).get(PHONE);
        return value == null ? null : serdes.number().deserializer().deserialize(Topics.NUMBERS, value);
    }

    private void send(InboundCommand command) {
        send(command, new RecordHeaders());
    }

    private void send(InboundCommand command, Headers headers) {
        input.pipeInput(new TestRecord<>(bytes(command.getPhoneNumber()),
                commandSerializer.serialize(Topics.COMMANDS, command), headers));
    }

    private static Headers replyHeaders(String replyTo, String correlationId) {
        return new RecordHeaders()
                .add(Topics.REPLY_TO_HEADER, bytes(replyTo))
                .add(Topics.CORRELATION_ID_HEADER, bytes(correlationId));
    }

    private static String header(Headers headers, String name) {
        return new String(headers.lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
