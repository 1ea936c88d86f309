package com.personasettings.torture;

import com.personasettings.devstack.Service;
import com.personasettings.processor.ProcessorConfig;
import com.personasettings.processor.TopicSetup;
import com.personasettings.schemas.registry.SchemaRegistryClient;
import com.personasettings.devstack.KafkaCluster;
import com.personasettings.devstack.Postgres;
import com.personasettings.devstack.SchemaRegistryServer;
import org.apache.kafka.clients.admin.Admin;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Everything a torture run needs, as separate processes: a three-node Kafka cluster, PostgreSQL, the schema
 * registry, two processors and two gateways (the real {@code ./persona-settings processor|gateway} commands, with
 * replication factor 3 for the topics they create). Each part can be killed and started again on its ports
 * with its data.
 */
final class TortureStack implements AutoCloseable {

    static final int PROCESSORS = 2;
    private static final Duration START_TIMEOUT = Duration.ofMinutes(5);

    final KafkaCluster kafka;
    final Postgres postgres;
    final SchemaRegistryServer registry;
    /** New for each run: the operator's commands of one run verify only under that run's key. */
    private final String operatorKey = UUID.randomUUID() + "-" + UUID.randomUUID();
    final List<Service> processors = new ArrayList<>();
    final List<Service> gateways = new ArrayList<>();
    private final TorturePorts ports;
    private final HttpClient health = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private TortureStack(KafkaCluster kafka, Postgres postgres, SchemaRegistryServer registry, TorturePorts ports) {
        this.kafka = kafka;
        this.postgres = postgres;
        this.registry = registry;
        this.ports = ports;
    }

    /**
     * Starts every part in {@code dir} (emptied by the caller) and waits until both processors hold partitions
     * and both gateways answer.
     *
     * @param launcherMainClass the {@code ./persona-settings} main class, run for each service
     */
    static TortureStack start(Path dir, TorturePorts ports, String launcherMainClass, PrintStream out) throws Exception {
        out.println("Starting a 3-node Kafka cluster, PostgreSQL and the schema registry under " + dir + " ...");
        // Independent of each other: side by side.
        var kafka = CompletableFuture.supplyAsync(() -> KafkaCluster.open(dir.resolve("kafka"), ports.kafkaBase(),
                TorturePorts.NODES));
        var postgres = CompletableFuture.supplyAsync(() -> Postgres.open(dir.resolve("postgres"), ports.postgres()));
        var registry = CompletableFuture.supplyAsync(() -> SchemaRegistryServer.startPersistent(
                SchemaRegistryServer.locateAppJar(), dir.resolve("registry"), ports.registry()));
        TortureStack stack;
        try {
            stack = new TortureStack(kafka.join(), postgres.join(), registry.join(), ports);
        } catch (RuntimeException e) {
            // Whatever did start must not stay behind.
            for (CompletableFuture<? extends AutoCloseable> part : List.of(kafka, postgres, registry)) {
                part.thenAccept(TortureStack::closeQuietly);
            }
            throw e;
        }
        try {
            stack.startServices(dir, launcherMainClass, out);
        } catch (Exception e) {
            stack.close();
            throw e;
        }
        return stack;
    }

    private void startServices(Path dir, String launcherMainClass, PrintStream out) throws Exception {
        for (int i = 1; i <= PROCESSORS; i++) {
            Map<String, String> environment = new HashMap<>(commonEnvironment());
            environment.put("PROCESSOR_INSTANCE_ID", "p-" + i);
            environment.put("PROCESSOR_HTTP_PORT", "0");
            environment.put("PROCESSOR_STATE_DIR", dir.resolve("processor-" + i + "-state").toString());
            processors.add(new Service("processor-" + i, launcherMainClass, List.of("processor"), environment, dir));
        }
        for (int i = 0; i < TorturePorts.GATEWAYS; i++) {
            Map<String, String> environment = new HashMap<>(commonEnvironment());
            environment.put("GATEWAY_INSTANCE_ID", "g-" + (i + 1));
            environment.put("GATEWAY_PORT", Integer.toString(ports.gateway(i)));
            gateways.add(new Service("gateway-" + (i + 1), launcherMainClass, List.of("gateway"), environment, dir));
        }
        // Registered once, here, before two processors would register them at the same moment: the dev registry
        // (Apicurio on an H2 file) then times out and fails on its sequence table ("Unique index or primary key
        // violation ... SEQUENCES"), and a processor gives up after its 60 s of retries. The processors' own
        // registration then finds the schemas there.
        TopicSetup.ensureSchemas(new SchemaRegistryClient(registry.url()));
        out.println("Starting " + PROCESSORS + " processors and " + TorturePorts.GATEWAYS + " gateways ...");
        processors.forEach(Service::start);
        // The gateways need the processor's tables (it migrates them) only for reads; start them at once too.
        gateways.forEach(Service::start);
        awaitProcessors(Set.of());
        for (Service gateway : gateways) {
            awaitGateway(gateway);
        }
    }

    /**
     * What every service reads: the cluster, the registry, the database, three replicas per topic, and the processors'
     * operator signing key (so the set-up's provisioning goes through the operator topic, signed, as in production).
     */
    Map<String, String> commonEnvironment() {
        return Map.of(
                "PROCESSOR_OPERATOR_KEY", operatorKey,
                "KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                "SCHEMA_REGISTRY_URL", registry.url(),
                "DATABASE_URL", postgres.jdbcUrl(),
                "DATABASE_USER", Postgres.USER,
                "TOPIC_REPLICATION_FACTOR", Integer.toString(KafkaCluster.REPLICATION_FACTOR),
                "TOPIC_PARTITIONS", "6");
    }

    /** The settings the processors run with, for a replay of their log. */
    ProcessorConfig processorConfig() {
        return ProcessorConfig.from(commonEnvironment());
    }

    URI gateway(int index) {
        return URI.create("http://localhost:" + ports.gateway(index));
    }

    DataSource database() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(postgres.jdbcUrl());
        dataSource.setUser(Postgres.USER);
        return dataSource;
    }

    /**
     * Waits until the group is stable with both processors holding partitions, none of them under a member id in
     * {@code replaced}.
     */
    void awaitProcessors(Set<String> replaced) throws InterruptedException {
        Set<String> instances = Set.of("p-1", "p-2");
        try (Admin admin = kafka.admin()) {
            Await.until("both processors running and holding partitions", START_TIMEOUT, () -> {
                for (Service processor : processors) {
                    if (!processor.isAlive()) {
                        throw new IllegalStateException(processor.name() + " " + processor.state());
                    }
                }
                String unsettled = ProcessorGroup.unsettled(admin, instances, replaced);
                if (unsettled != null) {
                    throw new IllegalStateException(unsettled);
                }
                return true;
            });
        } catch (IllegalStateException e) {
            failIfDead(processors);
            throw e;
        }
    }

    void awaitGateway(Service gateway) throws InterruptedException {
        URI uri = gateway(gateways.indexOf(gateway)).resolve("/health");
        Await.until(gateway.name() + " answering /health", START_TIMEOUT, () -> {
            if (!gateway.isAlive()) {
                throw new IllegalStateException(gateway.name() + " " + gateway.state());
            }
            return health.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        });
    }

    private static void failIfDead(List<Service> services) {
        for (Service service : services) {
            if (!service.isAlive()) {
                throw new IllegalStateException(service.name() + " " + service.state());
            }
        }
    }

    /** Gateways, processors, registry, PostgreSQL, Kafka: the reverse of the start. */
    @Override
    public void close() {
        List<Service> services = new ArrayList<>(gateways);
        services.addAll(processors);
        // The services stop side by side; each is bounded by Service.stop.
        List<CompletableFuture<Void>> stopping = services.stream().map(s -> CompletableFuture.runAsync(() -> {
            try {
                s.stop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        })).toList();
        stopping.forEach(CompletableFuture::join);
        closeQuietly(registry);
        closeQuietly(postgres);
        closeQuietly(kafka);
    }

    private static void closeQuietly(AutoCloseable part) {
        try {
            part.close();
        } catch (Exception e) {
            System.err.println("while stopping " + part.getClass().getSimpleName() + ": " + e);
        }
    }
}
