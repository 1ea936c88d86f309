package com.personasettings.gateway;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;

/**
 * The gateway's settings, from environment variables.
 *
 * @param instanceId   names this instance's reply topic {@code persona.inbound.replies.<instanceId>}: keep it
 *                     stable across restarts and unique among running instances
 * @param replyTimeout how long a synchronous request waits for its outcome before answering 202; it bounds the
 *                     whole request, publishing included
 * @param keyCheck     how long a key lookup is trusted before it is checked again (in the background: a key in
 *                     use never waits for the database); a revoked key stops working within about this long
 * @param sweepInterval how often numbers still attached to deleted personas are looked for and detached
 */
public record GatewayConfig(
        String bootstrapServers,
        String schemaRegistryUrl,
        String databaseUrl,
        String databaseUser,
        String databasePassword,
        int port,
        String instanceId,
        Duration replyTimeout,
        int maxBodyBytes,
        Duration keyCheck,
        Duration sweepInterval) {

    public static GatewayConfig fromEnvironment() {
        return from(System.getenv());
    }

    public static GatewayConfig from(Map<String, String> env) {
        return new GatewayConfig(
                get(env, "KAFKA_BOOTSTRAP_SERVERS", "localhost:9092"),
                get(env, "SCHEMA_REGISTRY_URL", "http://localhost:8081"),
                get(env, "DATABASE_URL", "jdbc:postgresql://localhost:5432/persona_settings"),
                get(env, "DATABASE_USER", "postgres"),
                get(env, "DATABASE_PASSWORD", ""),
                Integer.parseInt(get(env, "GATEWAY_PORT", "8080")),
                get(env, "GATEWAY_INSTANCE_ID", "gateway-" + hostname()),
                Duration.ofMillis(Long.parseLong(get(env, "GATEWAY_REPLY_TIMEOUT_MS", "5000"))),
                Integer.parseInt(get(env, "GATEWAY_MAX_BODY_BYTES", "65536")),
                Duration.ofMillis(Long.parseLong(get(env, "GATEWAY_KEY_CHECK_MS", "60000"))),
                Duration.ofMillis(Long.parseLong(get(env, "GATEWAY_SWEEP_MS", "10000"))));
    }

    /**
     * How long the broker may take to acknowledge a command before the request is answered 503: the reply
     * timeout, but at least a second (a very short reply timeout means "answer 202 soon", not "fail the publish").
     */
    public Duration sendTimeout() {
        Duration minimum = Duration.ofSeconds(1);
        return replyTimeout.compareTo(minimum) < 0 ? minimum : replyTimeout;
    }

    private static String get(Map<String, String> env, String name, String defaultValue) {
        String value = env.get(name);
        return value == null || value.isBlank() ? defaultValue : value.trim();
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName().replaceAll("[^a-zA-Z0-9._-]", "-");
        } catch (UnknownHostException e) {
            return "local";
        }
    }
}
