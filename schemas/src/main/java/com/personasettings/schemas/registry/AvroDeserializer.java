package com.personasettings.schemas.registry;

import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.AvroTypeException;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.AvroGenerated;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads records in the Confluent wire format ({@link WireFormat}) into a generated Avro class.
 *
 * <p>The writer schema is fetched from the registry by the id in the record and resolved against the
 * reader schema (the generated class's {@code SCHEMA$}) by Avro's schema resolution: fields the writer
 * lacks take their defaults, fields the reader lacks are skipped.
 *
 * <p>Union branches resolve by full name only ({@link StrictUnions}): a record that uses a branch the reader
 * does not know raises {@link UnknownUnionBranchException} instead of being read as another branch.
 *
 * <p>Null bytes read as null (tombstones). Bytes that cannot be read (too short, wrong magic byte,
 * unknown schema id, corrupt or unresolvable Avro) raise {@link SerializationException}, the poison-pill
 * signal; a registry that cannot be reached raises {@link SchemaRegistryException} instead.
 * Thread-safe once configured.
 */
public final class AvroDeserializer<T extends SpecificRecord> implements Deserializer<T> {

    private SchemaRegistryClient registry;
    /** Null: read each record into the generated class its writer schema names. */
    private Schema readerSchema;
    /**
     * One reader per writer schema id. Avro's datum readers are safe to share: each thread gets its
     * own resolving decoder.
     */
    private final Map<Integer, Reader<T>> readers = new ConcurrentHashMap<>();

    /** A datum reader and the writer's union branches it refuses (see {@link StrictUnions}). */
    private record Reader<T>(DatumReader<T> datums, Set<String> unknownBranches) {
    }

    /**
     * For Kafka's config-driven construction: {@link #configure} supplies the registry URL and
     * optionally the reader class ({@link AvroSerdeConfig#SPECIFIC_AVRO_VALUE_TYPE}).
     */
    public AvroDeserializer() {
    }

    /** Reads into {@code type}; {@link #configure} supplies the registry URL. */
    public AvroDeserializer(Class<T> type) {
        this.readerSchema = schemaOf(type);
    }

    /** Reads into {@code type} through the given (shared) client. */
    public AvroDeserializer(Class<T> type, SchemaRegistryClient registry) {
        this(schemaOf(type), registry);
    }

    /** Reads into the generated class of {@code readerSchema} through the given (shared) client. */
    public AvroDeserializer(Schema readerSchema, SchemaRegistryClient registry) {
        this.readerSchema = Objects.requireNonNull(readerSchema, "readerSchema");
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /** Reads {@link AvroSerdeConfig}; a client or reader class given to the constructor is kept. */
    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        if (registry == null) {
            registry = AvroSerdeConfig.client(configs);
        }
        if (readerSchema == null) {
            Class<?> type = AvroSerdeConfig.readerType(configs, isKey);
            readerSchema = type == null ? null : schemaOf(type);
        }
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (registry == null) {
            throw new IllegalStateException("AvroDeserializer is not configured: no " + AvroSerdeConfig.SCHEMA_REGISTRY_URL);
        }
        int id = WireFormat.requireSchemaId(topic, data);
        Reader<T> reader = reader(topic, id);
        BinaryDecoder decoder = DecoderFactory.get()
                .binaryDecoder(data, WireFormat.HEADER_SIZE, data.length - WireFormat.HEADER_SIZE, null);
        T value;
        boolean allRead;
        try {
            value = reader.datums().read(null, decoder);
            allRead = decoder.isEnd();
        } catch (AvroTypeException e) {
            throw unknownBranch(topic, id, reader, e);
        } catch (IOException | RuntimeException e) { // EOF, bad union index, bad length, unresolvable field...
            throw new SerializationException("Could not decode record on topic " + topic + " with writer schema id "
                    + id + ": corrupt Avro data or schemas that do not resolve: " + e, e);
        }
        if (!allRead) {
            throw new SerializationException("Could not decode record on topic " + topic + " with writer schema id "
                    + id + ": bytes left over after the record (corrupt Avro data)");
        }
        return value;
    }

    /** Avro's "Found X, expecting union" for a branch {@link StrictUnions} took away, or any other type error. */
    private static SerializationException unknownBranch(String topic, int id, Reader<?> reader, AvroTypeException e) {
        for (String branch : reader.unknownBranches()) {
            if (String.valueOf(e.getMessage()).startsWith("Found " + branch + ",")) {
                return new UnknownUnionBranchException("Record on topic " + topic + " (writer schema id " + id
                        + ") uses the union branch " + branch + ", which the reader schema does not have (a newer "
                        + "contract version?); it is not read as another branch", reader.unknownBranches(), e);
            }
        }
        return new SerializationException("Could not decode record on topic " + topic + " with writer schema id "
                + id + ": schemas that do not resolve: " + e, e);
    }

    private Reader<T> reader(String topic, int id) {
        Reader<T> cached = readers.get(id);
        if (cached != null) {
            return cached;
        }
        Schema writer = writerSchema(topic, id);
        Schema reader = readerSchema != null ? readerSchema : generatedSchemaNamedBy(topic, id, writer);
        if (!sameRecord(writer, reader)) {
            // Avro's resolution would happily read any record whose fields happen to fit, e.g. an
            // outcome that landed on the commands topic; the names say it is not what we expect.
            throw new SerializationException("Record on topic " + topic + " has schema id " + id + " of type "
                    + writer.getFullName() + ", not " + reader.getFullName());
        }
        TrustedClasses.trust(reader);
        StrictUnions.Prepared strict = StrictUnions.prepare(writer, reader);
        // The reader's SpecificData is the generated class's own, with its logical-type conversions.
        Reader<T> created = new Reader<>(
                new SpecificDatumReader<>(strict.writer(), reader, SpecificData.getForSchema(reader)),
                strict.unknownBranches());
        Reader<T> raced = readers.putIfAbsent(id, created);
        return raced != null ? raced : created;
    }

    private Schema writerSchema(String topic, int id) {
        try {
            return registry.getById(id);
        } catch (SchemaRegistryException e) {
            if (e.isSchemaNotFound()) {
                throw new SerializationException("Schema id " + id + " not found in registry (record on topic "
                        + topic + ")", e);
            }
            throw e; // an outage or a misconfiguration, not a bad record
        } catch (AvroRuntimeException e) { // the registry holds something that is not an Avro schema
            throw new SerializationException("Schema id " + id + " (record on topic " + topic
                    + ") is not a valid Avro schema: " + e.getMessage(), e);
        }
    }

    /** Same full name, or the reader was renamed from the writer's name (an Avro alias). */
    private static boolean sameRecord(Schema writer, Schema reader) {
        return writer.getFullName().equals(reader.getFullName()) || reader.getAliases().contains(writer.getFullName());
    }

    /**
     * The schema of the generated class the writer schema names. The name comes from the registry, so
     * the class is loaded without running its initializer and accepted only if Avro generated it.
     */
    private static Schema generatedSchemaNamedBy(String topic, int id, Schema writer) {
        Class<?> type;
        try {
            type = Class.forName(writer.getFullName(), false, AvroDeserializer.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            type = null;
        }
        if (type == null || !SpecificRecord.class.isAssignableFrom(type) || !type.isAnnotationPresent(AvroGenerated.class)) {
            throw new SerializationException("No generated Avro class " + writer.getFullName() + " to read schema id "
                    + id + " (record on topic " + topic + ") into");
        }
        return schemaOf(type);
    }

    private static Schema schemaOf(Class<?> type) {
        if (!SpecificRecord.class.isAssignableFrom(type)) {
            throw new IllegalArgumentException(type.getName() + " is not a generated Avro class (SpecificRecord)");
        }
        return SpecificData.get().getSchema(type); // the class's SCHEMA$
    }
}
