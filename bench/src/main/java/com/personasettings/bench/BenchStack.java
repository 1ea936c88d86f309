package com.personasettings.bench;

import com.personasettings.bench.peer.PeerApp;
import com.personasettings.bench.peer.PeerNumbers;
import com.personasettings.processor.ProcessorConfig;
import com.personasettings.processor.stream.RestoreLog;
import com.personasettings.devstack.FileTrees;
import com.personasettings.devstack.Service;
import com.personasettings.devstack.KafkaServer;
import com.personasettings.devstack.Postgres;
import com.personasettings.devstack.SchemaRegistryServer;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;

/**
 * The dev stack's parts, started fresh for a benchmark, each a process of its own so that what each costs can be
 * read from /proc ({@link ProcessCpu}): a Kafka broker and the schema registry as child JVMs, PostgreSQL from the
 * embedded binaries, and the processor and the gateway as {@code ./persona-settings processor} and {@code gateway}
 * (the launcher's main class), which the benchmark stops, kills and restarts.
 */
final class BenchStack implements AutoCloseable {

    /** Service start-ups on a busy 2-core machine, 1M numbers restored included. */
    private static final Duration START_TIMEOUT = Duration.ofMinutes(5);
    /** The processor's log line when Kafka Streams reaches RUNNING (ProcessorApp's state listener). */
    private static final String RUNNING_LINE = "-> RUNNING";

    final KafkaServer kafka;
    final Postgres postgres;
    final SchemaRegistryServer registry;
    private final Path dir;
    private final String launcherMainClass;
    /** Processor settings over the bench's own (for example a dedup window). */
    private final Map<String, String> processorSettings;
    private final int gatewayPort = freePort();
    private final HttpClient health = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Service processor;
    private int processorStarts;
    private Service gateway;
    private Service peer;

    private BenchStack(Path dir, String launcherMainClass, KafkaServer kafka, Postgres postgres,
                       SchemaRegistryServer registry, Map<String, String> processorSettings) {
        this.dir = dir;
        this.launcherMainClass = launcherMainClass;
        this.processorSettings = Map.copyOf(processorSettings);
        this.kafka = kafka;
        this.postgres = postgres;
        this.registry = registry;
    }

    static BenchStack start(Path dir, String launcherMainClass) {
        return start(dir, launcherMainClass, Map.of());
    }

    static BenchStack start(Path dir, String launcherMainClass, Map<String, String> processorSettings) {
        FileTrees.delete(dir);
        var kafka = CompletableFuture.supplyAsync(() -> KafkaServer.open(dir.resolve("kafka"), freePortPair()));
        var postgres = CompletableFuture.supplyAsync(() -> Postgres.start(dir.resolve("postgres")));
        var registry = CompletableFuture.supplyAsync(() -> SchemaRegistryServer.start(
                SchemaRegistryServer.locateAppJar(), dir.resolve("registry")));
        return new BenchStack(dir, launcherMainClass, kafka.join(), postgres.join(), registry.join(), processorSettings);
    }

    /** The parts whose CPU the benchmark reports, by what their processes' command lines hold. */
    List<ProcessCpu.Part> parts() {
        return List.of(
                new ProcessCpu.Part("gateway", line -> line.contains(launcherMainClass + " gateway")),
                new ProcessCpu.Part("processor", line -> line.contains(launcherMainClass + " processor")),
                // This stack's broker: its properties file is under the stack's folder.
                new ProcessCpu.Part("broker", line -> line.contains("kafka.Kafka")
                        && line.contains(dir.resolve("kafka").toString())),
                ProcessCpu.Part.containing("registry", "quarkus-run.jar"),
                ProcessCpu.Part.containing("PostgreSQL", dir.resolve("postgres").toString()),
                ProcessCpu.Part.containing("peer", PeerApp.class.getName()));
    }

    /** The processor's environment, committing by its defaults when {@code commit} is null. */
    Map<String, String> processorEnvironment(CommitPolicy commit) {
        Map<String, String> settings = new HashMap<>(common());
        settings.putAll(Map.of(
                "PROCESSOR_HTTP_PORT", "0", "PROCESSOR_STATE_DIR", processorStateDir().toString(),
                "PROCESSOR_INSTANCE_ID", "bench"));
        settings.putAll(processorSettings);
        if (commit != null) {
            settings.put("PROCESSOR_COMMIT_INTERVAL_MS", Long.toString(commit.interval().toMillis()));
            settings.put("PROCESSOR_COMMIT_ON_DEMAND", Boolean.toString(commit.onDemand()));
        }
        return settings;
    }

    ProcessorConfig processorConfig() {
        return ProcessorConfig.from(processorEnvironment(null));
    }

    private Map<String, String> common() {
        return Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                "SCHEMA_REGISTRY_URL", registry.url(),
                "DATABASE_URL", postgres.jdbcUrl(),
                "DATABASE_USER", Postgres.USER,
                "TOPIC_PARTITIONS", "6");
    }

    Path processorStateDir() {
        return dir.resolve("processor-state");
    }

    /** Starts the processor as configured by default and returns how long it took to reach RUNNING. */
    Duration startProcessor() throws InterruptedException {
        return startProcessor(null);
    }

    /**
     * Starts the processor committing so (null: by its defaults) and returns the time from starting its process to
     * Kafka Streams' RUNNING (JVM start-up included), read from its log.
     */
    Duration startProcessor(CommitPolicy commit) throws InterruptedException {
        // A log of its own per start, so the RUNNING line looked for is this start's.
        processor = new Service("processor-" + ++processorStarts, launcherMainClass, List.of("processor"),
                processorEnvironment(commit), dir);
        long start = System.nanoTime();
        processor.start();
        Path log = dir.resolve(processor.name() + ".log");
        await(processor, "RUNNING", () -> Files.exists(log) && Files.readString(log).contains(RUNNING_LINE));
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /** The records the running processor's log says it restored from changelogs since it started, by store. */
    Map<String, Long> restoredRecords() throws IOException {
        Map<String, Long> restored = new java.util.TreeMap<>();
        for (String line : Files.readAllLines(dir.resolve(processor.name() + ".log"))) {
            Matcher m = RestoreLog.RESTORED.matcher(line);
            if (m.find()) {
                restored.merge(m.group(2), Long.parseLong(m.group(1)), Long::sum);
            }
        }
        return restored;
    }

    /** Removes the stopped processor's local state, as a new host would start: every store is restored from scratch. */
    void deleteProcessorState() {
        FileTrees.delete(processorStateDir());
    }

    /** SIGTERM: the processor commits what it has and leaves the group. */
    void stopProcessor() throws InterruptedException {
        processor.stop();
        processor = null;
    }

    /** SIGKILL: an open transaction is aborted by the broker, and the local state is dirty for the next start. */
    void killProcessor() throws InterruptedException {
        processor.kill();
        processor = null;
    }

    URI startGateway() throws InterruptedException {
        gateway = new Service("gateway", launcherMainClass, List.of("gateway"),
                httpServer(gatewayPort, "bench", Map.of()), dir);
        gateway.start();
        URI uri = URI.create("http://localhost:" + gatewayPort);
        await(gateway, "answering /health", () -> health.send(
                HttpRequest.newBuilder(uri.resolve("/health")).timeout(Duration.ofSeconds(2)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
        return uri;
    }

    /**
     * Starts the CRUD peer on a database of its own holding {@code spec}'s numbers, attached as the product has them,
     * with the gateway's keys; returns its address.
     */
    URI startPeer(Workload.Spec spec) throws InterruptedException {
        int port = freePort();
        Map<String, String> environment = httpServer(port, "bench-peer",
                Map.of("PEER_DATABASE_URL", postgres.createDatabase("bench_peer")));
        peer = new Service("peer", PeerApp.class.getName(), List.of(), environment, dir);
        peer.start();
        URI uri = URI.create("http://localhost:" + port);
        // Any answer means it is listening, and it migrates its database before it listens.
        await(peer, "answering", () -> health.send(HttpRequest.newBuilder(uri.resolve("/v1/ping"))
                .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() > 0);
        List<PeerNumbers.Attached> numbers = new java.util.ArrayList<>();
        for (int i = 0; i < spec.numbers().size(); i++) {
            numbers.add(new PeerNumbers.Attached(spec.org(), spec.numbers().get(i), spec.personaOf(i)));
        }
        org.postgresql.ds.PGSimpleDataSource database = new org.postgresql.ds.PGSimpleDataSource();
        database.setUrl(environment.get("PEER_DATABASE_URL"));
        database.setUser(Postgres.USER);
        PeerNumbers.insert(database, numbers);
        return uri;
    }

    /** The environment of the gateway or the peer: both are configured as the gateway is. */
    private Map<String, String> httpServer(int port, String instanceId, Map<String, String> more) {
        Map<String, String> environment = new HashMap<>(common());
        environment.putAll(Map.of(
                "GATEWAY_PORT", Integer.toString(port),
                "GATEWAY_INSTANCE_ID", instanceId,
                // The benchmark measures the pipeline, at rates above what one key may send by default.
                "GATEWAY_KEY_RATE_LIMIT", "0",
                "GATEWAY_ORG_RATE_LIMIT", "0"));
        environment.putAll(more);
        return environment;
    }

    private interface Condition {
        boolean met() throws Exception;
    }

    /** Waits until the service's condition holds; fails at once when the service exits. */
    private static void await(Service service, String what, Condition condition) throws InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            if (!service.isAlive()) {
                throw new IllegalStateException(service.name() + " " + service.state());
            }
            try {
                if (condition.met()) {
                    return;
                }
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception notYet) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(service.name() + " not " + what + " after " + START_TIMEOUT
                        + "; last problems: " + service.lastProblems(5));
            }
            Thread.sleep(20); // polling a log or a port: 20 ms is the resolution of the start-up figures
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * A port whose successor is free too (the broker's controller listens there), below the ephemeral range
     * where the load generator's thousands of client connections take theirs.
     */
    private static int freePortPair() {
        java.util.Random random = new java.util.Random();
        for (int attempt = 0; attempt < 100; attempt++) {
            int port = 21_000 + random.nextInt(8_000);
            try (ServerSocket first = new ServerSocket(port); ServerSocket second = new ServerSocket(port + 1)) {
                return port;
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IllegalStateException("no two free consecutive ports");
    }

    @Override
    public void close() throws Exception {
        if (gateway != null) {
            gateway.stop();
        }
        if (processor != null) {
            processor.stop();
        }
        if (peer != null) {
            peer.stop();
        }
        registry.close();
        postgres.close();
        kafka.close();
    }
}
