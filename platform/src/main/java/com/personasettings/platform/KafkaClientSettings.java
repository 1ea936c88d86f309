package com.personasettings.platform;

import org.apache.kafka.common.config.types.Password;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The standard Kafka client security settings, read by {@link Settings} and passed to every producer, consumer,
 * admin client and Streams application unchanged:
 *
 * <pre>
 * KAFKA_SECURITY_PROTOCOL              security.protocol         (PLAINTEXT, SASL_PLAINTEXT, SASL_SSL, SSL)
 * KAFKA_SASL_MECHANISM                 sasl.mechanism            (SCRAM-SHA-512, PLAIN, ...)
 * KAFKA_SASL_JAAS_CONFIG[_FILE]        sasl.jaas.config          (a secret: the variable or a file holding it)
 * KAFKA_SSL_TRUSTSTORE_LOCATION        ssl.truststore.location
 * KAFKA_SSL_TRUSTSTORE_PASSWORD[_FILE] ssl.truststore.password   (a secret)
 * KAFKA_SSL_TRUSTSTORE_TYPE            ssl.truststore.type
 * </pre>
 *
 * Nothing set gives no properties: Kafka's default, PLAINTEXT. The secrets are held as Kafka's {@link Password},
 * which prints as {@code [hidden]}, so neither this object nor its properties show them when printed.
 */
public final class KafkaClientSettings {

    private static final Map<String, String> TEXT = Map.of(
            "KAFKA_SECURITY_PROTOCOL", "security.protocol",
            "KAFKA_SASL_MECHANISM", "sasl.mechanism",
            "KAFKA_SSL_TRUSTSTORE_LOCATION", "ssl.truststore.location",
            "KAFKA_SSL_TRUSTSTORE_TYPE", "ssl.truststore.type");
    private static final Map<String, String> SECRETS = Map.of(
            "KAFKA_SASL_JAAS_CONFIG", "sasl.jaas.config",
            "KAFKA_SSL_TRUSTSTORE_PASSWORD", "ssl.truststore.password");

    private final Map<String, Object> properties;

    private KafkaClientSettings(Map<String, Object> properties) {
        this.properties = properties;
    }

    public static KafkaClientSettings from(Settings settings) {
        Map<String, Object> properties = new LinkedHashMap<>();
        TEXT.forEach((variable, property) -> {
            String value = settings.text(variable, null);
            if (value != null) {
                properties.put(property, value);
            }
        });
        SECRETS.forEach((variable, property) -> {
            String value = settings.secret(variable, null);
            if (value != null && !value.isBlank()) {
                properties.put(property, new Password(value));
            }
        });
        Object protocol = properties.get("security.protocol");
        // A JAAS configuration with a protocol that does not use it would be ignored, and the client would connect
        // without authenticating: a mistake worth one line at start rather than an authorization error later.
        if (properties.containsKey("sasl.jaas.config")
                && (protocol == null || !protocol.toString().toUpperCase(java.util.Locale.ROOT).startsWith("SASL_"))) {
            throw new Settings.InvalidSetting("KAFKA_SASL_JAAS_CONFIG is set but KAFKA_SECURITY_PROTOCOL is "
                    + (protocol == null ? "unset" : protocol) + ": expected SASL_PLAINTEXT or SASL_SSL");
        }
        return new KafkaClientSettings(Map.copyOf(properties));
    }

    /** The security properties only (empty for PLAINTEXT); secrets as {@link Password}. */
    public Map<String, Object> properties() {
        return properties;
    }

    /** {@code bootstrap.servers} and the security properties, in a new map to add a client's own settings to. */
    public Map<String, Object> client(String bootstrapServers) {
        Map<String, Object> client = new LinkedHashMap<>(properties);
        client.put("bootstrap.servers", bootstrapServers);
        return client;
    }

    /** The protocol and mechanism, for a start-up log line; never a secret. */
    @Override
    public String toString() {
        return properties.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "=" + (e.getValue() instanceof Password ? "[hidden]" : e.getValue()))
                .collect(Collectors.joining(", ", "KafkaClientSettings{", "}"));
    }
}
