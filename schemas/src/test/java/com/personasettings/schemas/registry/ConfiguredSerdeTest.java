package com.personasettings.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.personasettings.schemas.CommandOutcome;
import com.personasettings.schemas.InboundCommand;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.Test;

/** Serdes built the way Kafka builds them from client configs: no-arg constructor, then configure(). */
class ConfiguredSerdeTest {

    private final String topic = TestRegistry.uniqueTopic("configured");
    private final Map<String, Object> configs = Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, TestRegistry.url());

    @Test
    void configuredSerdeRoundTrips() {
        AvroSerde<InboundCommand> serde = new AvroSerde<>(InboundCommand.class);
        serde.configure(configs, false);
        InboundCommand command = Samples.command();

        byte[] bytes = serde.serializer().serialize(topic, command);

        assertThat(serde.deserializer().deserialize(topic, bytes)).isEqualTo(command);
        assertThat(WireFormat.schemaId(bytes))
                .hasValue(TestRegistry.newClient().getId(topic + "-value", InboundCommand.getClassSchema()));
    }

    @Test
    void configuredAsKeyRegistersTheKeySubject() {
        AvroSerializer<InboundCommand> serializer = new AvroSerializer<>();
        serializer.configure(configs, true);

        byte[] bytes = serializer.serialize(topic, Samples.command());

        assertThat(WireFormat.schemaId(bytes))
                .hasValue(TestRegistry.newClient().getId(topic + "-key", InboundCommand.getClassSchema()));
    }

    @Test
    void withoutAReaderClassRecordsAreReadIntoTheClassTheirSchemaNames() {
        AvroSerializer<InboundCommand> commands = new AvroSerializer<>(TestRegistry.newClient());
        AvroSerializer<CommandOutcome> outcomes = new AvroSerializer<>(TestRegistry.newClient());
        Deserializer<Object> anything = untypedDeserializer();
        anything.configure(configs, false);
        InboundCommand command = Samples.command();
        CommandOutcome outcome = Samples.failure();

        assertThat(anything.deserialize(topic, commands.serialize(topic, command))).isEqualTo(command);
        assertThat(anything.deserialize(topic, outcomes.serialize(topic, outcome))).isEqualTo(outcome);
    }

    @Test
    void readerClassFromConfig() {
        byte[] bytes = new AvroSerializer<InboundCommand>(TestRegistry.newClient()).serialize(topic, Samples.command());
        AvroDeserializer<CommandOutcome> wrongType = new AvroDeserializer<>();
        wrongType.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, TestRegistry.url(),
                AvroSerdeConfig.SPECIFIC_AVRO_VALUE_TYPE, CommandOutcome.class.getName()), false);

        // the configured reader class is used, and a command is not read as an outcome
        assertThatThrownBy(() -> wrongType.deserialize(topic, bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("of type com.personasettings.schemas.InboundCommand, not "
                        + "com.personasettings.schemas.CommandOutcome");
    }

    @Test
    void withoutAReaderClassOnlyAvroGeneratedClassesAreInstantiated() {
        Deserializer<Object> anything = untypedDeserializer();
        anything.configure(configs, false);
        SchemaRegistryClient registry = TestRegistry.newClient();
        // a writer schema may name any class; neither an unknown one nor a non-generated one is used
        for (String name : List.of("test.registry.NoSuchClass", "java.lang.Thread")) {
            Schema schema = SchemaBuilder.record(name).fields().requiredString("name").endRecord();
            int id = registry.register(TestRegistry.uniqueTopic("untyped") + "-value", schema);
            byte[] bytes = ByteBuffer.allocate(7).put((byte) 0).putInt(id).put((byte) 2).put((byte) 'x').array();

            assertThatThrownBy(() -> anything.deserialize(topic, bytes))
                    .isInstanceOf(SerializationException.class)
                    .hasMessageContaining("No generated Avro class " + name);
        }
    }

    @Test
    void withoutAutoRegisterTheSchemaMustAlreadyBeRegistered() {
        AvroSerializer<InboundCommand> serializer = new AvroSerializer<>();
        serializer.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, TestRegistry.url(),
                AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, "false"), false);

        assertThatThrownBy(() -> serializer.serialize(topic, Samples.command()))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining(topic + "-value")
                .hasMessageContaining("auto.register.schemas=false");

        int id = TestRegistry.newClient().register(topic + "-value", InboundCommand.getClassSchema());
        assertThat(WireFormat.schemaId(serializer.serialize(topic, Samples.command()))).hasValue(id);
    }

    @Test
    void theRegistryUrlIsRequired() {
        assertThatThrownBy(() -> new AvroSerializer<InboundCommand>().configure(Map.of(), false))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("schema.registry.url");
        assertThatThrownBy(() -> new AvroDeserializer<>(InboundCommand.class).configure(Map.of(), false))
                .isInstanceOf(ConfigException.class);
    }

    @Test
    void anUnconfiguredSerializerSaysSo() {
        assertThatThrownBy(() -> new AvroSerializer<InboundCommand>().serialize(topic, Samples.command()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not configured");
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Deserializer<Object> untypedDeserializer() {
        return (Deserializer) new AvroDeserializer<>();
    }
}
