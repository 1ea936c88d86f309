package com.personasettings.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.personasettings.schemas.CommandOutcome;
import com.personasettings.schemas.InboundCommand;
import java.util.Map;
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

        // the configured reader class is used: an InboundCommand does not resolve to a CommandOutcome
        assertThatThrownBy(() -> wrongType.deserialize(topic, bytes)).isInstanceOf(SerializationException.class);
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
