package com.personasettings.processor.stream;

import com.personasettings.platform.ops.Tracing;
import com.personasettings.processor.ProcessorApp;
import com.personasettings.processor.TestCommands;
import com.personasettings.processor.db.PendingWrites;
import com.personasettings.processor.metrics.ProcessingMetrics;
import com.personasettings.schemas.CommandOutcome;
import com.personasettings.schemas.InboundCommand;
import com.personasettings.schemas.Topics;
import com.personasettings.schemas.registry.SchemaRegistryClient;
import com.personasettings.testkit.SharedInfrastructure;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.UUID;

import static com.personasettings.processor.TestCommands.PERSONA;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator topic under TopologyTestDriver, with a signing key: provisioning and releasing count only when copied
 * from there (signed); on the public commands topic they are dead-lettered, signature or not, and nothing changes.
 */
class OperatorTopicTest {

    private static final String PHONE = "+14155551234";
    private static final String KEY = "an operator signing key of more than thirty-two bytes";

    private static TopologySerdes serdes;
    private final TestCommands commands = new TestCommands();
    private final OperatorSignature signature = OperatorSignature.withKey(KEY);
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> publicTopic;
    private TestInputTopic<byte[], byte[]> operatorTopic;
    private TestOutputTopic<String, CommandOutcome> outcomes;
    private TestOutputTopic<byte[], byte[]> deadLetters;
    private TestOutputTopic<byte[], byte[]> log;

    @BeforeAll
    static void registry() {
        serdes = ProcessorApp.serdes(new SchemaRegistryClient(SharedInfrastructure.registry().url()));
    }

    @BeforeEach
    void start() {
        ProcessingMetrics metrics = new ProcessingMetrics(new SimpleMeterRegistry());
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "operator-topic-test");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        config.put(StreamsConfig.STATE_DIR_CONFIG, Path.of("target", "operator-topic-test", UUID.randomUUID().toString()).toString());
        driver = new TopologyTestDriver(CommandTopology.build(serdes, signature,
                new PendingWrites(batch -> { }, Duration.ZERO, metrics), ReplyPolicy.parse("persona.inbound.replies*",
                        topic -> true), Duration.ofHours(1), CommitPacer.of(true), metrics, Tracing.off().tracer()), config);
        publicTopic = driver.createInputTopic(Topics.COMMANDS, new ByteArraySerializer(), new ByteArraySerializer());
        operatorTopic = driver.createInputTopic(Topics.OPERATOR, new ByteArraySerializer(), new ByteArraySerializer());
        outcomes = driver.createOutputTopic(Topics.OUTCOMES, new StringDeserializer(), serdes.outcome().deserializer());
        deadLetters = driver.createOutputTopic(Topics.COMMANDS_DLQ, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        log = driver.createOutputTopic(Topics.COMMANDS, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void anOperatorCommandFromTheOperatorTopicIsCopiedOntoTheLogSignedAndApplied() {
        InboundCommand provision = commands.provision(PHONE, 42);
        send(operatorTopic, provision, new RecordHeaders().add(Topics.REPLY_TO_HEADER, bytes("persona.inbound.replies"))
                .add(Topics.OPERATOR_SIGNATURE_HEADER, bytes("whatever the operator wrote")));

        TestRecord<byte[], byte[]> copied = log.readRecord();
        assertThat(copied.key()).isEqualTo(bytes(PHONE));
        assertThat(copied.value()).isEqualTo(serialize(provision));
        assertThat(copied.headers().headers(Topics.OPERATOR_SIGNATURE_HEADER)).singleElement()
                .satisfies(header -> assertThat(header.value()).isEqualTo(signature.sign(copied.value())));
        assertThat(new String(copied.headers().lastHeader(Topics.REPLY_TO_HEADER).value(), StandardCharsets.UTF_8))
                .isEqualTo("persona.inbound.replies");
        CommandOutcome outcome = outcomes.readValue();
        assertThat(outcome.getCommandId()).isEqualTo(provision.getCommandId());
        assertThat(outcome.getErrors()).isNull();
        assertThat(outcome.getData().getId()).isEqualTo(42);

        InboundCommand release = commands.release(PHONE);
        send(operatorTopic, release, new RecordHeaders());
        assertThat(outcomes.readValue().getErrors()).isNull();
        assertThat(deadLetters.isEmpty()).isTrue();
    }

    @Test
    void operatorCommandsOnThePublicTopicAreDeadLetteredSignedOrNotAndChangeNothing() {
        InboundCommand provision = commands.provision(PHONE, 42);
        send(publicTopic, provision, new RecordHeaders());
        // A signature made for another value (a real one, copied from an earlier relayed record) does not fit.
        byte[] otherSignature = signature.sign(serialize(commands.provision("+14155550000", 7)));
        send(publicTopic, commands.provision(PHONE, 43), new RecordHeaders()
                .add(Topics.OPERATOR_SIGNATURE_HEADER, otherSignature));
        send(publicTopic, commands.release(PHONE), new RecordHeaders()
                .add(Topics.OPERATOR_SIGNATURE_HEADER, new byte[32]));

        assertThat(deadLetters.readRecordsToList()).hasSize(3).allSatisfy(letter -> {
            assertThat(header(letter.headers(), Topics.DLQ_REASON_HEADER)).isEqualTo("OPERATOR_ONLY");
            assertThat(header(letter.headers(), Topics.DLQ_ERROR_HEADER)).contains("accepted only from " + Topics.OPERATOR);
        });
        assertThat(outcomes.isEmpty()).as("nothing answered, nothing recorded").isTrue();

        // The number was never provisioned: an attach to it is refused as for any missing number.
        send(operatorTopic, commands.provision(PHONE, 44), new RecordHeaders());
        assertThat(outcomes.readValue().getData().getId()).isEqualTo(44);
        send(publicTopic, commands.attach(PHONE, PERSONA), new RecordHeaders());
        assertThat(outcomes.readValue().getErrors()).isNull();
    }

    private void send(TestInputTopic<byte[], byte[]> topic, InboundCommand command, Headers headers) {
        topic.pipeInput(new TestRecord<>(bytes(command.getPhoneNumber()), serialize(command), headers));
    }

    private static byte[] serialize(InboundCommand command) {
        return serdes.command().serializer().serialize(Topics.COMMANDS, command);
    }

    private static String header(Headers headers, String name) {
        return new String(headers.lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
