package com.personasettings.schemas.registry;

import com.personasettings.schemas.ApiError;
import com.personasettings.schemas.AttachToPersona;
import com.personasettings.schemas.CommandOutcome;
import com.personasettings.schemas.DetachFromPersona;
import com.personasettings.schemas.InboundCommand;
import com.personasettings.schemas.InboundNumber;
import com.personasettings.schemas.PersonaSettings;
import com.personasettings.schemas.ProvisionNumber;
import com.personasettings.schemas.ReleaseNumber;
import com.personasettings.schemas.UpdatePersonaSettings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/** Records of the contract with every field and every payload kind filled in. */
final class Samples {

    static final String PHONE = "+14155551234";
    static final Instant ISSUED_AT = Instant.parse("2026-11-28T10:15:30.123Z");

    private Samples() {
    }

    /** Every payload of the InboundCommand union, optional fields both set and null. */
    static Stream<Object> payloads() {
        return Stream.of(
                new UpdatePersonaSettings("persona-1", new PersonaSettings("pathway-7", 3L, "node-2")),
                new UpdatePersonaSettings("persona-1", new PersonaSettings(null, null, null)),
                new UpdatePersonaSettings("persona-1", null),
                new AttachToPersona("persona-2"),
                new DetachFromPersona("persona-3"),
                new ProvisionNumber(42L, "front desk"),
                new ProvisionNumber(43L, null),
                new ReleaseNumber());
    }

    static InboundCommand command(Object payload) {
        return new InboundCommand(UUID.randomUUID(), "org-1", ISSUED_AT, "key-abc", PHONE, payload);
    }

    static InboundCommand command() {
        return command(new AttachToPersona("persona-2"));
    }

    static InboundNumber number() {
        return new InboundNumber(7L, PHONE, "org-1", "front desk", "persona-2",
                new PersonaSettings("pathway-7", 3L, null), ISSUED_AT);
    }

    static CommandOutcome success() {
        return new CommandOutcome(UUID.randomUUID(), "org-1", PHONE, number(), null);
    }

    static CommandOutcome failure() {
        return new CommandOutcome(UUID.randomUUID(), "org-1", PHONE, null,
                List.of(new ApiError("INBOUND_NOT_FOUND", "No such number"), new ApiError("X", "second")));
    }

    /** The wire format built by hand, independently of {@link AvroSerializer}. */
    static byte[] confluentBytes(int schemaId, Schema schema, GenericRecord record) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(0);
            out.write(ByteBuffer.allocate(4).putInt(schemaId).array());
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
