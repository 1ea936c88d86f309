package com.personasettings.devlauncher;

import com.personasettings.launcher.Shutdown;

import com.personasettings.launcher.Port;

import com.personasettings.gateway.GatewayApp;
import com.personasettings.gateway.GatewayConfig;
import com.personasettings.gateway.admin.Operator;
import com.personasettings.gateway.db.GatewayDatabase;
import com.personasettings.client.PersonaClient;
import com.personasettings.processor.ProcessorApp;
import com.personasettings.processor.ProcessorConfig;
import com.personasettings.devstack.FileTrees;
import com.personasettings.devstack.KafkaServer;
import com.personasettings.devstack.KafkaUser;
import com.personasettings.devstack.Postgres;
import com.personasettings.devstack.SchemaRegistryServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

/**
 * Everything on this machine from real parts: a KRaft broker in this JVM, PostgreSQL from embedded binaries,
 * Apicurio Registry as a child process, the processor and the HTTP gateway.
 */
@Command(name = "dev", mixinStandardHelpOptions = true,
        description = "Runs the product on embedded defaults: Kafka, PostgreSQL, a schema registry, the processor and the gateway.")
final class DevCommand implements Callable<Integer> {

    @Option(names = "--data-dir", defaultValue = "data", description = "Where the stack keeps its files (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--port", defaultValue = "8080", description = "HTTP port of the gateway (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--fresh", description = "Start empty: delete what an earlier run kept in the data directory.")
    boolean fresh;

    @Option(names = "--demo", description = "Also set up a demo org, persona and numbers, and print an API key for them.")
    boolean demo;

    @Option(names = "--secure", description = "Run Kafka with SASL (SCRAM-SHA-512) and ACLs: the processor, the gateway "
            + "and the admin CLI each log in as their own principal; prints each principal's client settings.")
    boolean secure;

    /** Ports of the embedded parts; fixed so that a restart finds the same addresses its data refers to. */
    @Option(names = "--kafka-port", defaultValue = "19092", description = "Kafka port (default: ${DEFAULT-VALUE}; the controller uses the next one).")
    int kafkaPort;

    @Option(names = "--registry-port", defaultValue = "18081", description = "Schema registry port (default: ${DEFAULT-VALUE}).")
    int registryPort;

    @Option(names = "--postgres-port", defaultValue = "15432", description = "PostgreSQL port (default: ${DEFAULT-VALUE}).")
    int postgresPort;

    @Option(names = "--processor-port", defaultValue = "8090", description = "The processor's /metrics and /health port (default: ${DEFAULT-VALUE}).")
    int processorPort;

    @Override
    public Integer call() throws Exception {
        // Before anything starts or is deleted: a second dev stack must not touch the first one's data.
        List<Port> taken = Port.taken(List.of(
                new Port(kafkaPort, "Kafka", KafkaServer.HOST, "--kafka-port"),
                new Port(kafkaPort + 1, "Kafka controller", KafkaServer.HOST, "--kafka-port"),
                new Port(registryPort, "schema registry", SchemaRegistryServer.HOST, "--registry-port"),
                new Port(postgresPort, "PostgreSQL", Postgres.HOST, "--postgres-port"),
                new Port(port, "HTTP", null, "--port"),
                new Port(processorPort, "processor HTTP", null, "--processor-port")));
        if (!taken.isEmpty()) {
            System.err.println(Port.describe(taken) + " already in use: is another dev stack running? Stop it or pass "
                    + Port.options(taken) + ".");
            return 1;
        }
        Path dir = dataDir.toAbsolutePath();
        if (fresh) {
            FileTrees.delete(dir);
        } else if (secure && KafkaServer.createdWithoutSecurity(dir.resolve("kafka"))) {
            System.err.println("The Kafka log in " + dir.resolve("kafka") + " was created without --secure and has no "
                    + "super user: pass --fresh (or another --data-dir) to run it secured.");
            return 1;
        }
        System.out.println("Starting Kafka, PostgreSQL and the schema registry under " + dir + " ...");
        // The three are independent: start them side by side.
        var startingKafka = CompletableFuture.supplyAsync(() -> secure
                ? KafkaServer.openSecured(dir.resolve("kafka"), kafkaPort) : KafkaServer.open(dir.resolve("kafka"), kafkaPort));
        var startingPostgres = CompletableFuture.supplyAsync(() -> Postgres.open(dir.resolve("postgres"), postgresPort));
        var startingRegistry = CompletableFuture.supplyAsync(() -> SchemaRegistryServer.startPersistent(
                SchemaRegistryServer.locateAppJar(), dir.resolve("registry"), registryPort));
        KafkaServer kafka = startingKafka.join();
        Postgres postgres = startingPostgres.join();
        SchemaRegistryServer registry = startingRegistry.join();
        // Secured: each principal with a new password, and the ACLs (the processor's name its application id).
        Map<String, KafkaUser> users = secure ? KafkaAccess.setUp(kafka, ProcessorConfig.DEFAULT_APPLICATION_ID) : Map.of();
        Map<String, String> processorEnvironment = new HashMap<>(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                "SCHEMA_REGISTRY_URL", registry.url(),
                "DATABASE_URL", postgres.jdbcUrl(),
                "DATABASE_USER", Postgres.USER,
                "PROCESSOR_STATE_DIR", dir.resolve("processor-state").toString(),
                // Static membership: a restarted dev stack takes its partitions back at once.
                "PROCESSOR_INSTANCE_ID", "dev",
                "PROCESSOR_HTTP_PORT", Integer.toString(processorPort),
                "TOPIC_PARTITIONS", "6"));
        processorEnvironment.putAll(environment(users, KafkaAccess.PROCESSOR));
        if (secure) {
            // Provisioning and releasing count only from the operator topic, signed with this key.
            processorEnvironment.put("PROCESSOR_OPERATOR_KEY_FILE", OperatorKey.in(dir).toString());
        }
        ProcessorApp processor = ProcessorApp.start(ProcessorConfig.from(processorEnvironment));
        processor.awaitRunning(Duration.ofSeconds(60));
        Map<String, String> gatewayEnvironment = new HashMap<>(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                "SCHEMA_REGISTRY_URL", registry.url(),
                "DATABASE_URL", postgres.jdbcUrl(),
                "DATABASE_USER", Postgres.USER,
                "GATEWAY_PORT", Integer.toString(port),
                // Secured, the gateway may only create and read reply topics named persona.inbound.replies.gateway*.
                "GATEWAY_INSTANCE_ID", secure ? "gateway-dev" : "dev"));
        gatewayEnvironment.putAll(environment(users, KafkaAccess.GATEWAY));
        GatewayApp gateway = GatewayApp.start(GatewayConfig.from(gatewayEnvironment));

        if (demo) {
            Map<String, Object> operatorClient = secure ? users.get(KafkaAccess.OPERATOR).client(kafka.bootstrapServers())
                    : Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers());
            try (PersonaClient client = Operator.client(kafka.bootstrapServers(), registry.url(), operatorClient)) {
                String key = Demo.setUp(postgres.dataSource(),
                        new Operator(new GatewayDatabase(postgres.dataSource()), client), gateway.port());
                System.out.println("Demo persona:     " + Demo.PERSONA + " with " + Demo.NUMBER + " (id 42) and two more numbers");
                System.out.println("Demo API key:     " + key);
            }
        }
        System.out.println("HTTP API:         http://localhost:" + gateway.port() + "/v1 (OpenAPI: /openapi.yaml)");
        System.out.println("Metrics:          http://localhost:" + gateway.port() + "/metrics (gateway), http://localhost:"
                + processor.httpPort() + "/metrics (processor)");
        System.out.println("Kafka bootstrap:  " + kafka.bootstrapServers());
        System.out.println("Schema registry:  " + registry.url());
        System.out.println("PostgreSQL JDBC:  " + postgres.jdbcUrl() + " (user " + Postgres.USER + ")");
        if (secure) {
            System.out.println("Kafka security:   " + KafkaUser.PROTOCOL + " with " + KafkaUser.MECHANISM
                    + "; each principal's KAFKA_SASL_JAAS_CONFIG (new passwords at every start):");
            users.values().forEach(user -> System.out.println("Kafka user " + user.name() + ": " + user.jaasConfig()));
        }
        System.out.println("Operator tasks (orgs, keys, numbers): with the variables below, ./persona-settings admin --help");
        System.out.println("  export KAFKA_BOOTSTRAP_SERVERS=" + kafka.bootstrapServers() + " SCHEMA_REGISTRY_URL="
                + registry.url() + " DATABASE_URL=" + postgres.jdbcUrl() + (secure ? " KAFKA_SECURITY_PROTOCOL="
                + KafkaUser.PROTOCOL + " KAFKA_SASL_MECHANISM=" + KafkaUser.MECHANISM + " KAFKA_SASL_JAAS_CONFIG='"
                + users.get(KafkaAccess.OPERATOR).jaasConfig() + "'" : ""));
        System.out.println("ready");
        Shutdown.awaitSignal(kafka, postgres, registry, processor, gateway);
        return 0;
    }

    /** The client security variables of this principal, or none on a PLAINTEXT broker. */
    private static Map<String, String> environment(Map<String, KafkaUser> users, String principal) {
        return users.isEmpty() ? Map.of() : users.get(principal).environment();
    }
}
