package com.personasettings.schemas.registry;

import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * An {@link AvroSerializer} and {@link AvroDeserializer} pair for one generated class. Inside our
 * apps build them with {@link #forClass} from one shared {@link SchemaRegistryClient}, so every serde
 * shares one cache of ids and schemas.
 */
public final class AvroSerde<T extends SpecificRecord> implements Serde<T> {

    private final AvroSerializer<T> serializer;
    private final AvroDeserializer<T> deserializer;

    /**
     * For Kafka's config-driven construction: {@link #configure} supplies the registry URL; records are
     * read into {@link AvroSerdeConfig#SPECIFIC_AVRO_VALUE_TYPE} or else the class their schema names.
     */
    public AvroSerde() {
        this.serializer = new AvroSerializer<>();
        this.deserializer = new AvroDeserializer<>();
    }

    /** Reads into {@code type}; {@link #configure} supplies the registry URL. */
    public AvroSerde(Class<T> type) {
        this.serializer = new AvroSerializer<>();
        this.deserializer = new AvroDeserializer<>(type);
    }

    /**
     * @param isKey selects the subject {@code <topic>-key} instead of {@code <topic>-value}
     */
    public AvroSerde(Class<T> type, SchemaRegistryClient registry, boolean isKey) {
        this.serializer = new AvroSerializer<>(registry, isKey, true);
        this.deserializer = new AvroDeserializer<>(type, registry);
    }

    /** A value serde for {@code type} that registers its schema on first use. */
    public static <T extends SpecificRecord> AvroSerde<T> forClass(Class<T> type, SchemaRegistryClient registry) {
        return new AvroSerde<>(type, registry, false);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        serializer.configure(configs, isKey);
        deserializer.configure(configs, isKey);
    }

    @Override
    public Serializer<T> serializer() {
        return serializer;
    }

    @Override
    public Deserializer<T> deserializer() {
        return deserializer;
    }
}
