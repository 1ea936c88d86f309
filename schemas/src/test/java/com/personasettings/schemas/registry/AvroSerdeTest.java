package com.personasettings.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.personasettings.schemas.CommandOutcome;
import com.personasettings.schemas.InboundCommand;
import com.personasettings.schemas.InboundNumber;
import com.personasettings.schemas.ReleaseNumber;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The Avro serde against a real registry: round trips, the wire format, schema resolution, bad input. */
class AvroSerdeTest {

    private final SchemaRegistryClient registry = TestRegistry.newClient();
    private final String topic = TestRegistry.uniqueTopic("serde");
    private final AvroSerde<InboundCommand> commands = AvroSerde.forClass(InboundCommand.class, registry);

    static List<Object> payloads() {
        return Samples.payloads().toList();
    }

    @ParameterizedTest
    @MethodSource("payloads")
    void roundTripsEveryPayloadKind(Object payload) {
        InboundCommand command = Samples.command(payload);

        byte[] bytes = commands.serializer().serialize(topic, command);
        InboundCommand read = commands.deserializer().deserialize(topic, bytes);

        assertThat(read).isEqualTo(command);
        assertThat(read.getPayload()).isInstanceOf(payload.getClass());
        assertThat(read.getIssuedAt()).isEqualTo(Samples.ISSUED_AT); // logical types come back typed
    }

    @Test
    void roundTripsOutcomesAndNumbers() {
        AvroSerde<CommandOutcome> outcomes = AvroSerde.forClass(CommandOutcome.class, registry);
        AvroSerde<InboundNumber> numbers = AvroSerde.forClass(InboundNumber.class, registry);

        for (CommandOutcome outcome : List.of(Samples.success(), Samples.failure())) {
            assertThat(outcomes.deserializer().deserialize(topic, outcomes.serializer().serialize(topic, outcome)))
                    .isEqualTo(outcome);
        }
        String numbersTopic = TestRegistry.uniqueTopic("numbers");
        assertThat(numbers.deserializer().deserialize(numbersTopic,
                numbers.serializer().serialize(numbersTopic, Samples.number()))).isEqualTo(Samples.number());
    }

    @Test
    void writesMagicByteSchemaIdAndPlainAvroBinary() throws IOException {
        InboundCommand command = Samples.command();

        byte[] bytes = commands.serializer().serialize(topic, command);

        // the id the registry itself gives for the subject, asked through a client with empty caches
        int registeredId = TestRegistry.newClient().getId(topic + "-value", InboundCommand.getClassSchema());
        assertThat(bytes[0]).isEqualTo((byte) 0);
        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(registeredId);
        assertThat(WireFormat.schemaId(bytes)).hasValue(registeredId);
        assertThat(Arrays.copyOfRange(bytes, 5, bytes.length)).isEqualTo(plainAvro(command));
    }

    @Test
    void keySerializerUsesTheKeySubject() {
        AvroSerde<InboundCommand> keys = new AvroSerde<>(InboundCommand.class, registry, true);

        byte[] bytes = keys.serializer().serialize(topic, Samples.command());

        SchemaRegistryClient fresh = TestRegistry.newClient();
        assertThat(WireFormat.schemaId(bytes))
                .hasValue(fresh.getId(topic + "-key", InboundCommand.getClassSchema()));
        assertThat(fresh.isCompatible(topic + "-value", SchemaBuilder.record("Any").fields().endRecord()))
                .as("nothing registered under the value subject").isTrue();
    }

    @Test
    void nullIsATombstoneBothWays() {
        assertThat(commands.serializer().serialize(topic, null)).isNull();
        assertThat(commands.deserializer().deserialize(topic, null)).isNull();
        assertThat(registry.requestCount()).isZero();
    }

    @Test
    void serializerAsksTheRegistryOnlyOnce() {
        commands.serializer().serialize(topic, Samples.command());
        long afterFirst = registry.requestCount();

        commands.serializer().serialize(topic, Samples.command());
        commands.serializer().serialize(topic, Samples.command(new ReleaseNumber()));

        assertThat(afterFirst).isEqualTo(1);
        assertThat(registry.requestCount()).isEqualTo(afterFirst);
    }

    @Test
    void deserializerFetchesEachWriterSchemaOnce() {
        byte[] first = commands.serializer().serialize(topic, Samples.command());
        byte[] second = commands.serializer().serialize(topic, Samples.command());
        SchemaRegistryClient fresh = TestRegistry.newClient();
        AvroDeserializer<InboundCommand> deserializer = new AvroDeserializer<>(InboundCommand.class, fresh);

        deserializer.deserialize(topic, first);
        assertThat(fresh.requestCount()).isEqualTo(1);
        deserializer.deserialize(topic, second);
        deserializer.deserialize(topic, first);
        assertThat(fresh.requestCount()).isEqualTo(1);
    }

    @Test
    void readsAnOlderWriterSchemaIntoTheGeneratedClass() throws IOException {
        // An "old" InboundNumber: no label and no persona_settings (the reader's defaults apply), an extra
        // field the reader does not know (skipped), and the fields in another order (matched by name).
        Schema old = SchemaBuilder.record("InboundNumber").namespace("com.personasettings.schemas").fields()
                .requiredLong("updated_at")
                .requiredString("legacy_region")
                .optionalString("persona_id")
                .requiredString("org_id")
                .requiredString("phone_number")
                .requiredLong("id")
                .endRecord();
        GenericRecord written = new GenericData.Record(old);
        written.put("updated_at", Samples.ISSUED_AT.toEpochMilli());
        written.put("legacy_region", "eu-west");
        written.put("persona_id", "persona-9");
        written.put("org_id", "org-1");
        written.put("phone_number", Samples.PHONE);
        written.put("id", 77L);
        String numbersTopic = TestRegistry.uniqueTopic("numbers");
        int oldId = registry.register(numbersTopic + "-value", old);
        byte[] bytes = Samples.confluentBytes(oldId, old, written);

        InboundNumber read = new AvroDeserializer<>(InboundNumber.class, TestRegistry.newClient())
                .deserialize(numbersTopic, bytes);

        assertThat(read).isEqualTo(new InboundNumber(77L, Samples.PHONE, "org-1", null, "persona-9", null,
                Samples.ISSUED_AT));
    }

    @Test
    void unknownSchemaIdIsASerializationErrorNamingTheId() {
        byte[] bytes = ByteBuffer.allocate(7).put((byte) 0).putInt(987_654_321).put((byte) 2).put((byte) 0).array();

        assertThatThrownBy(() -> commands.deserializer().deserialize(topic, bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("Schema id 987654321 not found in registry")
                .hasCauseInstanceOf(SchemaRegistryException.class);
    }

    @Test
    void wrongMagicByteIsASerializationError() {
        byte[] bytes = commands.serializer().serialize(topic, Samples.command());
        bytes[0] = 7;

        assertThatThrownBy(() -> commands.deserializer().deserialize(topic, bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("Unknown magic byte 7");
        assertThat(WireFormat.schemaId(bytes)).isEmpty();
    }

    @Test
    void plainTextIsASerializationError() {
        byte[] json = "{\"command_id\":\"x\"}".getBytes();

        assertThatThrownBy(() -> commands.deserializer().deserialize(topic, json))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("Unknown magic byte 123");
    }

    @Test
    void tooShortIsASerializationError() {
        assertThatThrownBy(() -> commands.deserializer().deserialize(topic, new byte[] {0, 0, 0}))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("3 bytes");
        assertThat(WireFormat.schemaId(new byte[] {0, 0, 0})).isEmpty();
    }

    @Test
    void truncatedAvroIsASerializationError() {
        byte[] bytes = commands.serializer().serialize(topic, Samples.command());
        byte[] truncated = Arrays.copyOf(bytes, bytes.length - 3);

        assertThatThrownBy(() -> commands.deserializer().deserialize(topic, truncated))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("Could not decode")
                .hasMessageContaining("schema id " + WireFormat.schemaId(bytes).getAsInt());
    }

    @Test
    void leftOverBytesAreASerializationError() {
        byte[] bytes = commands.serializer().serialize(topic, Samples.command());
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 2);

        assertThatThrownBy(() -> commands.deserializer().deserialize(topic, longer))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("left over");
    }

    @Test
    void corruptUnionIndexIsASerializationError() {
        byte[] bytes = commands.serializer().serialize(topic, Samples.command(new ReleaseNumber()));
        // ReleaseNumber has no fields, so the last byte is the payload's union index (4, zig-zag 8)
        bytes[bytes.length - 1] = 0x7e; // index 63: no such branch

        assertThatThrownBy(() -> commands.deserializer().deserialize(topic, bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("Could not decode");
    }

    @Test
    void anUnreachableRegistryIsNotMistakenForABadRecord() throws IOException {
        byte[] bytes = commands.serializer().serialize(topic, Samples.command());
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        AvroDeserializer<InboundCommand> deserializer =
                new AvroDeserializer<>(InboundCommand.class, new SchemaRegistryClient("http://127.0.0.1:" + closedPort));

        assertThatThrownBy(() -> deserializer.deserialize(topic, bytes))
                .isInstanceOf(SchemaRegistryException.class)
                .isNotInstanceOf(SerializationException.class);
    }

    @Test
    void serializerRejectedByACompatibilityRuleFailsWithTheRegistrysReason() {
        // the subject already holds a different InboundCommand; a reader of ours could not read its data
        Schema other = SchemaBuilder.record("InboundCommand").namespace("com.personasettings.schemas").fields()
                .requiredString("something_else")
                .endRecord();
        registry.register(topic + "-value", other);
        registry.setCompatibility(topic + "-value", "BACKWARD");

        assertThatThrownBy(() -> commands.serializer().serialize(topic, Samples.command()))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining(topic + "-value")
                .hasCauseInstanceOf(SchemaRegistryException.class)
                .cause().satisfies(e -> assertThat(((SchemaRegistryException) e).status()).isEqualTo(409));
    }

    @Test
    void oneSharedSerdeWorksFromManyThreads() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Integer>> tasks = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                tasks.add(() -> {
                    int roundTrips = 0;
                    for (int i = 0; i < 300; i++) {
                        InboundCommand command = Samples.command(payloads().get(i % payloads().size()));
                        InboundCommand read = commands.deserializer()
                                .deserialize(topic, commands.serializer().serialize(topic, command));
                        if (read.equals(command)) {
                            roundTrips++;
                        }
                    }
                    return roundTrips;
                });
            }
            for (Future<Integer> result : pool.invokeAll(tasks)) {
                assertThat(result.get()).isEqualTo(300);
            }
        } finally {
            pool.shutdownNow();
        }
        // the threads raced to register the schema; one asked, the others waited for its answer
        assertThat(registry.requestCount()).isEqualTo(1);
    }

    private static byte[] plainAvro(InboundCommand command) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<>(InboundCommand.class).write(command, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}
