package com.personasettings.schemas.registry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes generated Avro records in the Confluent wire format ({@link WireFormat}), registering the
 * record's schema under the subject {@code <topic>-value} (or {@code <topic>-key}), Confluent's
 * TopicNameStrategy.
 *
 * <p>A null value is written as null bytes, so tombstones stay tombstones. Thread-safe once configured.
 */
public final class AvroSerializer<T extends SpecificRecord> implements Serializer<T> {

    private SchemaRegistryClient registry;
    private boolean isKey;
    private boolean autoRegister = true;
    /** Writers hold no per-call state, so one per schema serves every thread. */
    private final Map<Schema, DatumWriter<T>> writers = new ConcurrentHashMap<>();

    /** For Kafka's config-driven construction: {@link #configure} must supply the registry URL. */
    public AvroSerializer() {
    }

    /** A value serializer that registers its schemas through the given (shared) client. */
    public AvroSerializer(SchemaRegistryClient registry) {
        this(registry, false, true);
    }

    /**
     * @param isKey        selects the subject {@code <topic>-key} instead of {@code <topic>-value}
     * @param autoRegister false: the schema must already be registered; only its id is looked up
     */
    public AvroSerializer(SchemaRegistryClient registry, boolean isKey, boolean autoRegister) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.isKey = isKey;
        this.autoRegister = autoRegister;
    }

    /** TopicNameStrategy: the registry subject of a topic's keys or values. */
    public static String subject(String topic, boolean isKey) {
        return topic + (isKey ? "-key" : "-value");
    }

    /** Reads {@link AvroSerdeConfig}; a client given to the constructor is kept. */
    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        this.isKey = isKey;
        this.autoRegister = AvroSerdeConfig.autoRegister(configs, autoRegister);
        if (registry == null) {
            registry = AvroSerdeConfig.client(configs);
        }
    }

    @Override
    public byte[] serialize(String topic, T value) {
        if (value == null) {
            return null;
        }
        if (registry == null) {
            throw new IllegalStateException("AvroSerializer is not configured: no " + AvroSerdeConfig.SCHEMA_REGISTRY_URL);
        }
        Schema schema = value.getSchema();
        int id = schemaId(subject(topic, isKey), schema);

        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        out.writeBytes(WireFormat.header(id));
        // The direct encoder writes straight to the stream; there is nothing to gain from buffering twice.
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        try {
            writer(value).write(value, encoder);
            encoder.flush();
        } catch (IOException | RuntimeException e) { // e.g. null in a non-null field
            throw new SerializationException("Could not write " + schema.getFullName() + " for topic " + topic
                    + ": " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    private int schemaId(String subject, Schema schema) {
        try {
            return autoRegister ? registry.register(subject, schema) : registry.getId(subject, schema);
        } catch (SchemaRegistryException e) {
            // The registry refused this schema: not registered (404), incompatible (409) or invalid
            // (422). That is a problem of this record's contract, not an outage, which passes through.
            if (e.status() == 404 || e.status() == 409 || e.status() == 422) {
                String action = autoRegister ? "register" : "find (" + AvroSerdeConfig.AUTO_REGISTER_SCHEMAS + "=false)";
                throw new SerializationException("Could not " + action + " schema " + schema.getFullName()
                        + " under subject " + subject + ": " + e.getMessage(), e);
            }
            throw e;
        }
    }

    private DatumWriter<T> writer(T value) {
        // The generated class's own SpecificData carries its logical-type conversions (UUID, Instant).
        SpecificData model = value instanceof SpecificRecordBase base
                ? base.getSpecificData()
                : SpecificData.getForSchema(value.getSchema());
        return writers.computeIfAbsent(value.getSchema(), schema -> new SpecificDatumWriter<>(schema, model));
    }
}
