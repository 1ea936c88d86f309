package com.personasettings.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.personasettings.schemas.InboundCommand;
import com.personasettings.schemas.UpdatePersonaSettings;
import com.personasettings.schemas.testing.NewerContract;
import java.io.IOException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/**
 * Another team registers a newer, BACKWARD-compatible InboundCommand with one more payload branch. Records
 * that use the new branch must not be read as a branch of ours that happens to fit (the field-less
 * ReleaseNumber would): they fail to decode, by name. Records of that version using known branches still read.
 */
class NewerContractTest {

    private final SchemaRegistryClient registry = TestRegistry.newClient();
    private final String topic = TestRegistry.uniqueTopic("newer");

    @Test
    void theNewerVersionIsBackwardCompatibleSoTheRegistryTakesIt() {
        String subject = topic + "-value";
        registry.register(subject, InboundCommand.getClassSchema());
        registry.setCompatibility(subject, "BACKWARD");

        assertThat(registry.isCompatible(subject, NewerContract.withChangeLabel())).isTrue();
    }

    @Test
    void aRecordWithABranchTheReaderDoesNotKnowFailsByNameInsteadOfBecomingReleaseNumber() throws IOException {
        Schema newer = NewerContract.withChangeLabel();
        int id = registry.register(topic + "-value", newer);
        GenericRecord changeLabel = new GenericData.Record(newer.getField("payload").schema().getTypes().stream()
                .filter(branch -> branch.getName().equals("ChangeLabel")).findFirst().orElseThrow());
        changeLabel.put("label", "front desk");

        byte[] bytes = Samples.confluentBytes(id, newer, command(newer, changeLabel));

        assertThatThrownBy(() -> new AvroDeserializer<>(InboundCommand.class, registry).deserialize(topic, bytes))
                .isInstanceOf(UnknownUnionBranchException.class)
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("com.personasettings.schemas.ChangeLabel")
                .satisfies(e -> assertThat(((UnknownUnionBranchException) e).branches())
                        .containsExactly("com.personasettings.schemas.ChangeLabel"));
    }

    @Test
    void aRecordOfTheNewerVersionWithAKnownBranchStillReads() throws IOException {
        Schema newer = NewerContract.withChangeLabel();
        int id = registry.register(topic + "-value", newer);
        GenericRecord update = new GenericData.Record(newer.getField("payload").schema().getTypes().get(0));
        update.put("persona_id", "12345678-1234-1234-1234-123456789012");
        update.put("persona_settings", null);

        InboundCommand read = new AvroDeserializer<>(InboundCommand.class, registry)
                .deserialize(topic, Samples.confluentBytes(id, newer, command(newer, update)));

        assertThat(read.getPayload()).isEqualTo(new UpdatePersonaSettings("12345678-1234-1234-1234-123456789012", null));
    }

    private static GenericRecord command(Schema schema, GenericRecord payload) {
        GenericRecord command = new GenericData.Record(schema);
        command.put("command_id", "0b8e7e64-4b8e-4a53-9f38-8e1f0a4f2a11");
        command.put("org_id", "org-1");
        command.put("issued_at", Samples.ISSUED_AT.toEpochMilli());
        command.put("actor", "other-team");
        command.put("phone_number", Samples.PHONE);
        command.put("payload", payload);
        return command;
    }
}
