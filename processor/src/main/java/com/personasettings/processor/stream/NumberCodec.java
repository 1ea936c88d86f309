package com.personasettings.processor.stream;

import com.personasettings.domain.NumberState;
import com.personasettings.schemas.InboundNumber;
import com.personasettings.schemas.Topics;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A number's state as the bytes the "numbers" store and {@code persona.inbound.numbers} hold: an
 * {@link InboundNumber} in the registry's wire format. The processor decodes a number once when it reads it and
 * encodes its new state once, for the store and the topic both, so the state never goes Avro → domain → Avro in
 * between.
 */
final class NumberCodec {

    private final Serializer<InboundNumber> serializer;
    private final Deserializer<InboundNumber> deserializer;

    NumberCodec(Serde<InboundNumber> serde) {
        this.serializer = serde.serializer();
        this.deserializer = serde.deserializer();
    }

    /** Null (no state) for null. */
    NumberState decode(byte[] bytes) {
        return bytes == null ? null : AvroMapping.toState(deserializer.deserialize(Topics.NUMBERS, bytes));
    }

    /**
     * Null (a tombstone) for null. Written under the numbers topic's subject, which is what that topic's records
     * always had; the store's changelog gets the same bytes (before, its values were registered under the
     * changelog's own subject: the same schema, and old values still read, as the id is in every value).
     */
    byte[] encode(NumberState state) {
        return state == null ? null : serializer.serialize(Topics.NUMBERS, AvroMapping.toAvro(state));
    }
}
