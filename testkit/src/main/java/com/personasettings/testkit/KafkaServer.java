package com.personasettings.testkit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Uuid;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real single-node Kafka (KRaft, broker and controller in one) as a child process that keeps its log in a
 * folder across runs: formatted on first use, reopened afterwards. Kafka's own {@code kafka.Kafka} and
 * {@code StorageTool}, run from this JVM's classpath. The broker stops by itself, cleanly, when this JVM is
 * gone without having closed it (see {@link ExitWithParent}).
 */
public final class KafkaServer implements AutoCloseable {

    /** The host of the listeners: the broker binds the address it resolves to. */
    public static final String HOST = "localhost";

    private final Process process;
    private final int port;

    private KafkaServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** @param port client port; the controller listens on {@code port + 1} */
    public static KafkaServer open(Path dir, int port) {
        try {
            Path logs = dir.resolve("logs").toAbsolutePath();
            Files.createDirectories(logs);
            Path properties = dir.resolve("server.properties").toAbsolutePath();
            Files.writeString(properties, String.join("\n",
                    "process.roles=broker,controller",
                    "node.id=1",
                    "controller.quorum.voters=1@" + HOST + ":" + (port + 1),
                    "listeners=PLAINTEXT://" + HOST + ":" + port + ",CONTROLLER://" + HOST + ":" + (port + 1),
                    "advertised.listeners=PLAINTEXT://" + HOST + ":" + port,
                    "controller.listener.names=CONTROLLER",
                    "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                    "log.dirs=" + logs,
                    // One broker: internal topics cannot have more replicas than that.
                    "offsets.topic.replication.factor=1",
                    "transaction.state.log.replication.factor=1",
                    "transaction.state.log.min.isr=1",
                    "group.initial.rebalance.delay.ms=0",
                    "auto.create.topics.enable=false",
                    ""));
            if (!Files.exists(logs.resolve("meta.properties"))) {
                run(dir, "kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(),
                        "-c", properties.toString());
            }
            Process process = java(dir, "kafka.Kafka", properties.toString()).start();
            KafkaServer server = new KafkaServer(process, port);
            server.awaitReady();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String bootstrapServers() {
        return HOST + ":" + port;
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", bootstrapServers(),
                "request.timeout.ms", 2_000, "default.api.timeout.ms", 2_000))) {
            while (true) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("Kafka exited with " + process.exitValue() + "; see kafka.log");
                }
                try {
                    admin.describeCluster().nodes().get(2, TimeUnit.SECONDS);
                    return;
                } catch (Exception notYet) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("Kafka did not start within 60 s; see kafka.log", notYet);
                    }
                }
            }
        }
    }

    private static void run(Path dir, String mainClass, String... args) throws IOException {
        Process process = java(dir, mainClass, args).start();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(mainClass + " failed; see " + dir.resolve("kafka.log"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static ProcessBuilder java(Path dir, String mainClass, String... args) {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", System.getProperty("java.class.path")));
        command.addAll(ExitWithParent.command(mainClass));
        command.addAll(List.of(args));
        return new ProcessBuilder(OwnSession.command(command))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("kafka.log").toFile()));
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy(); // SIGTERM: Kafka shuts down cleanly
        if (!process.waitFor(Duration.ofSeconds(30).toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
