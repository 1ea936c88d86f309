package com.personasettings.devstack;

import java.util.Map;

/**
 * A SCRAM user of a secured {@link KafkaServer} and the standard client settings it connects with, as client
 * properties and as the environment variables the services read (KAFKA_SECURITY_PROTOCOL, ...).
 */
public record KafkaUser(String name, String password) {

    /** The one mechanism the secured broker offers. */
    public static final String MECHANISM = "SCRAM-SHA-512";
    public static final String PROTOCOL = "SASL_PLAINTEXT";

    public KafkaUser {
        // Both end up inside a JAAS line and a StorageTool argument: keep them to characters neither has to quote.
        if (!name.matches("[A-Za-z0-9_-]+") || !password.matches("[A-Za-z0-9_-]+")) {
            throw new IllegalArgumentException("user names and passwords are letters, digits, '_' and '-' here");
        }
    }

    /** The value of {@code sasl.jaas.config} (and of KAFKA_SASL_JAAS_CONFIG). */
    public String jaasConfig() {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + name
                + "\" password=\"" + password + "\";";
    }

    /** security.protocol, sasl.mechanism and sasl.jaas.config, for a client built in code. */
    public Map<String, Object> clientProperties() {
        return Map.of("security.protocol", PROTOCOL, "sasl.mechanism", MECHANISM, "sasl.jaas.config", jaasConfig());
    }

    /** {@code bootstrap.servers} and {@link #clientProperties()}. */
    public Map<String, Object> client(String bootstrapServers) {
        Map<String, Object> client = new java.util.HashMap<>(clientProperties());
        client.put("bootstrap.servers", bootstrapServers);
        return client;
    }

    /** The same settings as the environment variables the processor, the gateway and the admin CLI read. */
    public Map<String, String> environment() {
        return Map.of("KAFKA_SECURITY_PROTOCOL", PROTOCOL, "KAFKA_SASL_MECHANISM", MECHANISM,
                "KAFKA_SASL_JAAS_CONFIG", jaasConfig());
    }

    /** The principal ACLs name. */
    public String principal() {
        return "User:" + name;
    }

    @Override
    public String toString() {
        return "KafkaUser[" + name + "]";
    }
}
