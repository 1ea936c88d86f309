package com.personasettings.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One KRaft node (Kafka's own {@code kafka.Kafka}, run from this JVM's class path) as a child process, with its
 * folder: {@code server.properties}, the log directory and {@code kafka.log}. The node can be started, killed
 * and started again on the same ports with the same data.
 */
final class KafkaNode {

    /** How long a clean stop may take before the node is killed; a controlled shutdown normally takes a few seconds. */
    private static final long STOP_SECONDS = 30;

    private final Path dir;
    private Process process;

    private KafkaNode(Path dir) {
        this.dir = dir;
    }

    /**
     * Writes the node's properties (with {@code log.dirs} added) and formats its log directory for the cluster
     * unless an earlier run did.
     */
    static KafkaNode prepare(Path dir, List<String> properties, String clusterId) {
        return prepare(dir, properties, clusterId, List.of());
    }

    /** @param formatArguments more arguments of StorageTool's {@code format}, e.g. {@code --add-scram ...} */
    static KafkaNode prepare(Path dir, List<String> properties, String clusterId, List<String> formatArguments) {
        try {
            Path logs = logDir(dir);
            Files.createDirectories(logs);
            List<String> lines = new java.util.ArrayList<>(properties);
            lines.add("log.dirs=" + logs);
            Files.writeString(properties(dir), String.join("\n", lines) + "\n");
            KafkaNode node = new KafkaNode(dir);
            if (!isFormatted(dir)) {
                List<String> format = new java.util.ArrayList<>(List.of("format", "-t", clusterId, "-c",
                        properties(dir).toString()));
                format.addAll(formatArguments);
                node.run("kafka.tools.StorageTool", format.toArray(String[]::new));
            }
            return node;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean isFormatted(Path dir) {
        return Files.exists(logDir(dir).resolve("meta.properties"));
    }

    /** The cluster id an earlier format wrote, if any. */
    static java.util.Optional<String> clusterId(Path dir) {
        Path meta = logDir(dir).resolve("meta.properties");
        if (!Files.exists(meta)) {
            return java.util.Optional.empty();
        }
        try {
            return Files.readAllLines(meta).stream().filter(l -> l.startsWith("cluster.id="))
                    .map(l -> l.substring("cluster.id=".length()).trim()).findFirst();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    synchronized void start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("the Kafka node in " + dir + " is already running");
        }
        try {
            process = java("kafka.Kafka", properties(dir).toString()).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** The exit status of a node that is gone, for error messages. */
    synchronized String exitDescription() {
        return process == null ? "never started" : process.isAlive() ? "running" : "exited with " + process.exitValue();
    }

    /** SIGKILL: the node ends at once, no controlled shutdown, nothing flushed. */
    synchronized void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            if (!process.waitFor(STOP_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the Kafka node in " + dir + " survived SIGKILL for " + STOP_SECONDS + " s");
            }
        }
    }

    /** SIGTERM: a controlled shutdown (leadership moves away first); killed if it takes longer than 30 s. */
    synchronized void stop() throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(STOP_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    Path log() {
        return dir.resolve("kafka.log");
    }

    private void run(String mainClass, String... args) throws IOException {
        Process tool = java(mainClass, args).start();
        try {
            if (!tool.waitFor(60, TimeUnit.SECONDS) || tool.exitValue() != 0) {
                throw new IllegalStateException(mainClass + " failed; see " + log());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private ProcessBuilder java(String mainClass, String... args) {
        return new ProcessBuilder(ChildJvm.command(List.of("-Xmx512m"), mainClass, List.of(args)))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()));
    }

    private static Path properties(Path dir) {
        return dir.resolve("server.properties").toAbsolutePath();
    }

    private static Path logDir(Path dir) {
        return dir.resolve("logs").toAbsolutePath();
    }
}
