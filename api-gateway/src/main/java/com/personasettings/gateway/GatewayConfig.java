package com.personasettings.gateway;

import com.personasettings.gateway.limits.RateLimits.Limit;
import com.personasettings.platform.Database;
import com.personasettings.platform.KafkaClientSettings;
import com.personasettings.platform.Settings;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;

/**
 * The gateway's settings, read by {@link Settings}: environment variables (names below), else the same keys in the
 * properties file named by {@code PERSONA_SETTINGS_CONFIG}, else the defaults.
 *
 * @param kafkaSecurity the Kafka client security settings (KAFKA_SECURITY_PROTOCOL, ...), for every client
 * @param instanceId   names this instance's reply topic {@code persona.inbound.replies.<instanceId>}: keep it
 *                     stable across restarts and unique among running instances
 * @param replyTimeout how long a synchronous request waits for its outcome before answering 202; it bounds the
 *                     whole request, publishing included
 * @param keyCheck     how long a key lookup is trusted before it is checked again (in the background: a key in
 *                     use never waits for the database); a revoked key stops working within about this long
 * @param sweepInterval how often deleted personas not yet retired in every partition are looked for (their
 *                      missing retirements sent again)
 * @param keyLimit     requests per second per API key (bursts of twice that); zero for none
 * @param orgLimit     requests per second per org, all its keys together (bursts of twice that); zero for none
 * @param failedAuthLimit failed authentications per minute per client address (also the burst); once used up, the
 *                     address is answered 429 for keys the gateway does not already know, so a flood of made-up
 *                     keys does not reach the database; zero for none
 * @param clientAddressHeader the header a trusted proxy puts the client's address in (its last entry counts), or
 *                     null to take the address of the connection: behind a load balancer, set it, or every
 *                     caller shares the balancer's address
 */
public record GatewayConfig(
        String bootstrapServers,
        KafkaClientSettings kafkaSecurity,
        String schemaRegistryUrl,
        String databaseUrl,
        String databaseUser,
        String databasePassword,
        int port,
        String instanceId,
        Duration replyTimeout,
        int maxBodyBytes,
        Duration keyCheck,
        Duration sweepInterval,
        Limit keyLimit,
        Limit orgLimit,
        Limit failedAuthLimit,
        String clientAddressHeader) {

    public static GatewayConfig fromEnvironment() {
        return from(System.getenv());
    }

    /** From these environment variables (and the file {@code PERSONA_SETTINGS_CONFIG} names, if one does). */
    public static GatewayConfig from(Map<String, String> environment) {
        Settings settings = Settings.from(environment);
        Database database = Database.from(settings);
        return new GatewayConfig(
                settings.text("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092"),
                KafkaClientSettings.from(settings),
                settings.text("SCHEMA_REGISTRY_URL", "http://localhost:8081"),
                database.url(),
                database.user(),
                database.password(),
                settings.integer("GATEWAY_PORT", 8080),
                settings.text("GATEWAY_INSTANCE_ID", "gateway-" + hostname()),
                settings.millis("GATEWAY_REPLY_TIMEOUT_MS", 5000),
                settings.integer("GATEWAY_MAX_BODY_BYTES", 65536),
                settings.millis("GATEWAY_KEY_CHECK_MS", 60_000),
                settings.millis("GATEWAY_SWEEP_MS", 10_000),
                perSecond(settings, "GATEWAY_KEY_RATE_LIMIT", 1_000),
                perSecond(settings, "GATEWAY_ORG_RATE_LIMIT", 5_000),
                failedAuthentications(settings, "GATEWAY_FAILED_AUTH_LIMIT", 30),
                settings.text("GATEWAY_CLIENT_ADDRESS_HEADER", null));
    }

    /** Generous defaults: they stop one runaway key or org, not a customer's normal peaks. */
    private static Limit perSecond(Settings settings, String name, int defaultRate) {
        int rate = notNegative(settings, name, defaultRate);
        return rate == 0 ? Limit.NONE : Limit.perSecond(rate, 2L * rate);
    }

    private static Limit failedAuthentications(Settings settings, String name, int defaultPerMinute) {
        int perMinute = notNegative(settings, name, defaultPerMinute);
        return perMinute == 0 ? Limit.NONE : Limit.perMinute(perMinute, perMinute);
    }

    private static int notNegative(Settings settings, String name, int defaultValue) {
        int value = settings.integer(name, defaultValue);
        if (value < 0) {
            throw settings.invalid(name, String.valueOf(value), "zero (no limit) or a positive whole number");
        }
        return value;
    }

    /** {@code bootstrap.servers} and the security settings: the start of every Kafka client's configuration. */
    public Map<String, Object> kafkaClient() {
        return kafkaSecurity.client(bootstrapServers);
    }

    /** The database to connect to, as {@link com.personasettings.platform.DataSources#pooled} takes it. */
    public Database database() {
        return new Database(databaseUrl, databaseUser, databasePassword);
    }

    /**
     * How long the broker may take to acknowledge a command before the request is answered 503: the reply
     * timeout, but at least a second (a very short reply timeout means "answer 202 soon", not "fail the publish").
     */
    public Duration sendTimeout() {
        Duration minimum = Duration.ofSeconds(1);
        return replyTimeout.compareTo(minimum) < 0 ? minimum : replyTimeout;
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName().replaceAll("[^a-zA-Z0-9._-]", "-");
        } catch (UnknownHostException e) {
            return "local";
        }
    }
}
