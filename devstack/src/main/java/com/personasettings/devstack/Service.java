package com.personasettings.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A program of this class path as a process of its own, typically {@code ./persona-settings processor} or
 * {@code ./persona-settings gateway} (the launcher's main class and a command): run under {@link ExitWithParent},
 * so it never outlives the run that started it (whatever ends that), and in a session of its own, so a Ctrl-C
 * reaches only that run, which then stops everything in order. Its output is appended to {@code <name>.log}.
 */
public final class Service {

    /** Prefixes of the product's environment variables (README, "Configuration"). */
    private static final List<String> PRODUCT_SETTINGS = List.of("KAFKA_", "SCHEMA_REGISTRY_", "DATABASE_",
            "PROCESSOR_", "GATEWAY_", "TOPIC_", "PEER_", "PERSONA_SETTINGS_", "LOG_FORMAT", "OTEL_");

    /** The services promise to stop within 10 s of SIGTERM (README); a little slack for a busy machine. */
    private static final long STOP_SECONDS = 15;

    private final String name;
    private final String mainClass;
    private final List<String> arguments;
    private final Map<String, String> environment;
    private final Path log;
    private Process process;

    public Service(String name, String mainClass, List<String> arguments, Map<String, String> environment, Path dir) {
        this.name = name;
        this.mainClass = mainClass;
        this.arguments = List.copyOf(arguments);
        this.environment = Map.copyOf(environment);
        this.log = dir.resolve(name + ".log");
    }

    public String name() {
        return name;
    }

    public synchronized void start() {
        ProcessBuilder builder = new ProcessBuilder(ChildJvm.command(List.of("-Xmx512m"), mainClass, arguments))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        // Configured by what it is given alone: a setting exported in the caller's shell (the export line of
        // `dev --secure`, a config file) must not reach a service of a stack of its own.
        builder.environment().keySet().removeIf(name -> PRODUCT_SETTINGS.stream().anyMatch(name::startsWith));
        builder.environment().putAll(environment);
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    public synchronized long pid() {
        return process.pid();
    }

    public synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** SIGKILL: no shutdown hook, no transaction committed or aborted, connections dropped mid-request. */
    public synchronized void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(STOP_SECONDS, TimeUnit.SECONDS)) {
            throw new IllegalStateException(name + " survived SIGKILL for " + STOP_SECONDS + " s");
        }
    }

    /** SIGTERM, as a service manager stops it; SIGKILL if it is still there after 15 s. */
    public synchronized void stop() throws InterruptedException {
        if (process == null) {
            return;
        }
        process.destroy();
        if (!process.waitFor(STOP_SECONDS, TimeUnit.SECONDS)) {
            System.err.println(name + " did not stop within " + STOP_SECONDS + " s of SIGTERM; killing it");
            process.destroyForcibly().waitFor();
        }
    }

    /** The exit status of a service that is gone, for error messages. */
    public synchronized String state() {
        return process == null ? "not started" : process.isAlive() ? "running (pid " + process.pid() + ")"
                : "exited with " + process.exitValue() + "; see " + log;
    }

    /**
     * The last {@code max} warnings and errors in its log, first lines only: what a report shows when a run cannot be
     * completed. The producers' retry warnings (one per failed produce request while a broker is away) are left out.
     */
    public List<String> lastProblems(int max) {
        try (var lines = Files.lines(log, StandardCharsets.UTF_8)) {
            List<String> problems = lines.filter(l -> (l.contains(" WARN ") || l.contains(" ERROR "))
                    && !l.contains("producer.internals.Sender")).toList();
            return problems.subList(Math.max(0, problems.size() - max), problems.size());
        } catch (IOException | UncheckedIOException e) {
            return List.of("(" + log + " not read: " + e + ")");
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
