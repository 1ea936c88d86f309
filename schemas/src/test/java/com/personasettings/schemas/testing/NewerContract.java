package com.personasettings.schemas.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.personasettings.schemas.InboundCommand;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/**
 * A newer version of the command contract, as another team might register it: one more payload branch. Shared
 * with other modules' tests through this module's test jar.
 */
public final class NewerContract {

    private NewerContract() {
    }

    /** Today's InboundCommand with {@code ChangeLabel {label: string}} appended to the payload union. */
    public static Schema withChangeLabel() {
        try {
            ObjectMapper json = new ObjectMapper();
            ObjectNode schema = (ObjectNode) json.readTree(InboundCommand.getClassSchema().toString());
            for (var field : schema.get("fields")) {
                if (field.get("name").asText().equals("payload")) {
                    ((ArrayNode) field.get("type")).add(json.readTree("""
                            {"type": "record", "name": "ChangeLabel", "fields": [{"name": "label", "type": "string"}]}
                            """));
                }
            }
            return new Schema.Parser().parse(schema.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A ChangeLabel command in the Confluent wire format, with the other fields of {@code like}. */
    public static byte[] changeLabel(int schemaId, Schema newer, InboundCommand like, String label) {
        Schema payloadSchema = newer.getField("payload").schema().getTypes().stream()
                .filter(branch -> branch.getName().equals("ChangeLabel")).findFirst().orElseThrow();
        GenericRecord payload = new GenericData.Record(payloadSchema);
        payload.put("label", label);
        GenericRecord command = new GenericData.Record(newer);
        command.put("command_id", like.getCommandId().toString());
        command.put("org_id", like.getOrgId());
        command.put("issued_at", like.getIssuedAt().toEpochMilli());
        command.put("actor", "other-team");
        command.put("phone_number", like.getPhoneNumber());
        command.put("payload", payload);
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(0);
            out.write(ByteBuffer.allocate(4).putInt(schemaId).array());
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            new GenericDatumWriter<GenericRecord>(newer).write(command, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
