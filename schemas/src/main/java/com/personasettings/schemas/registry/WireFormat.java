package com.personasettings.schemas.registry;

import java.nio.ByteBuffer;
import java.util.OptionalInt;
import org.apache.kafka.common.errors.SerializationException;

/**
 * The Confluent wire format of a serialized record: a magic byte 0, the writer schema's registry id
 * as a 4-byte big-endian int, then the Avro binary encoding of the value (no Avro container header).
 */
public final class WireFormat {

    public static final byte MAGIC_BYTE = 0;
    /** Magic byte plus schema id. */
    public static final int HEADER_SIZE = 1 + Integer.BYTES;

    private WireFormat() {
    }

    /**
     * The writer schema id of a serialized record, or empty when the bytes are null or do not start
     * with the header. Does not touch the registry; meant for dead-letter code that labels bad records.
     */
    public static OptionalInt schemaId(byte[] data) {
        if (data == null || data.length < HEADER_SIZE || data[0] != MAGIC_BYTE) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(ByteBuffer.wrap(data, 1, Integer.BYTES).getInt());
    }

    /** Writes the header of a record written with schema {@code schemaId}. */
    static byte[] header(int schemaId) {
        return ByteBuffer.allocate(HEADER_SIZE).put(MAGIC_BYTE).putInt(schemaId).array();
    }

    /** The schema id of a record, or a {@link SerializationException} saying what is wrong with it. */
    static int requireSchemaId(String topic, byte[] data) {
        if (data.length < HEADER_SIZE) {
            throw new SerializationException("Record on topic " + topic + " has " + data.length
                    + " bytes, fewer than the " + HEADER_SIZE + "-byte header (magic byte + schema id)");
        }
        if (data[0] != MAGIC_BYTE) {
            throw new SerializationException("Unknown magic byte " + data[0] + " in record on topic " + topic
                    + " (expected " + MAGIC_BYTE + "; not written by a schema-registry Avro serializer?)");
        }
        return ByteBuffer.wrap(data, 1, Integer.BYTES).getInt();
    }
}
