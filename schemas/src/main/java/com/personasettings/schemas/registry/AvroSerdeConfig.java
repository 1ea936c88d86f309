package com.personasettings.schemas.registry;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;

/**
 * The config keys read by {@code configure(Map, isKey)} of the Avro serdes. The names are
 * Confluent's, so a client configured for Confluent's serdes works unchanged, except
 * {@link #REQUEST_TIMEOUT_MS}, which is ours.
 */
public final class AvroSerdeConfig {

    /** Required. One base URL, e.g. {@code http://localhost:8081} or Apicurio's {@code .../apis/ccompat/v6}. */
    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    /** Serializer: register the writer schema (true, the default) or only look its id up (false). */
    public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
    /** Deserializer: the generated class to read keys / values into. When unset, the class named by each writer schema. */
    public static final String SPECIFIC_AVRO_KEY_TYPE = "specific.avro.key.type";
    public static final String SPECIFIC_AVRO_VALUE_TYPE = "specific.avro.value.type";
    /** Connect and request timeout of the registry client in milliseconds; default 10000. */
    public static final String REQUEST_TIMEOUT_MS = "schema.registry.request.timeout.ms";

    private AvroSerdeConfig() {
    }

    /** A client built from {@link #SCHEMA_REGISTRY_URL} and {@link #REQUEST_TIMEOUT_MS}. */
    static SchemaRegistryClient client(Map<String, ?> configs) {
        Object url = configs.get(SCHEMA_REGISTRY_URL);
        if (url == null || url.toString().isBlank()) {
            throw new ConfigException("Missing required config " + SCHEMA_REGISTRY_URL);
        }
        if (url.toString().contains(",")) {
            // Confluent's client accepts a list and fails over; ours talks to one URL (put a load
            // balancer in front of several registries).
            throw new ConfigException(SCHEMA_REGISTRY_URL, url, "only one URL is supported");
        }
        Object timeoutMs = configs.get(REQUEST_TIMEOUT_MS);
        Duration timeout = SchemaRegistryClient.DEFAULT_TIMEOUT;
        if (timeoutMs != null) {
            try {
                timeout = Duration.ofMillis(Long.parseLong(timeoutMs.toString().strip()));
            } catch (NumberFormatException e) {
                throw new ConfigException(REQUEST_TIMEOUT_MS, timeoutMs, "not a number of milliseconds");
            }
        }
        try {
            return new SchemaRegistryClient(url.toString(), timeout);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(SCHEMA_REGISTRY_URL, url, e.getMessage());
        }
    }

    /** The value of {@link #AUTO_REGISTER_SCHEMAS}, or {@code current} when it is not set. */
    static boolean autoRegister(Map<String, ?> configs, boolean current) {
        Object value = configs.get(AUTO_REGISTER_SCHEMAS);
        return value == null ? current : Boolean.parseBoolean(value.toString().strip());
    }

    /** The class named by {@link #SPECIFIC_AVRO_KEY_TYPE} / {@link #SPECIFIC_AVRO_VALUE_TYPE}, or null. */
    static Class<?> readerType(Map<String, ?> configs, boolean isKey) {
        String key = isKey ? SPECIFIC_AVRO_KEY_TYPE : SPECIFIC_AVRO_VALUE_TYPE;
        Object value = configs.get(key);
        if (value == null) {
            return null;
        }
        if (value instanceof Class<?> type) {
            return type;
        }
        try {
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            return Class.forName(value.toString().strip(), true,
                    loader != null ? loader : AvroSerdeConfig.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new ConfigException(key, value, "class not found");
        }
    }
}
