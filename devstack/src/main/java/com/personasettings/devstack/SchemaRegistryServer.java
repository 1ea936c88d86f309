package com.personasettings.devstack;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarFile;

/**
 * A real schema registry for tests: Apicurio Registry 2.1.5.Final (in-memory storage), built by the
 * {@code registry-server} module, run as a child {@code java} process on a free loopback port.
 *
 * <p>It speaks the Confluent Schema Registry REST API under {@link #url()} ({@code .../apis/ccompat/v6}).
 * Every instance has its own empty store. Start-up takes about 4-6 s and ~200 MB of memory. It stops by
 * itself, cleanly, when this JVM is gone without having closed it (see {@link ExitWithParent}).
 *
 * <pre>{@code
 * try (SchemaRegistryServer registry = SchemaRegistryServer.start(SchemaRegistryServer.locateAppJar(), Path.of("target"))) {
 *     String baseUrl = registry.url(); // http://127.0.0.1:PORT/apis/ccompat/v6
 * }
 * }</pre>
 */
public final class SchemaRegistryServer implements AutoCloseable {

    /** System property naming the app jar explicitly (overrides the search in {@link #locateAppJar()}). */
    public static final String APP_JAR_PROPERTY = "registry.app.jar";
    /** Where the {@code registry-server} module puts the runnable app, relative to the project root. */
    public static final String APP_JAR_RELATIVE_PATH = "registry-server/target/quarkus-app/quarkus-run.jar";
    /** Path of the Confluent-compatible API. */
    public static final String CCOMPAT_PATH = "/apis/ccompat/v6";

    /** The only address the registry listens on. */
    public static final String HOST = "127.0.0.1";

    private static final System.Logger LOG = System.getLogger(SchemaRegistryServer.class.getName());
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    /** Start attempts; a retry happens only when another process took the chosen port first. */
    private static final int MAX_ATTEMPTS = 3;

    private final Process process;
    private final int port;
    private final Path logFile;
    private boolean closed;

    private SchemaRegistryServer(Process process, int port, Path logFile) {
        this.process = process;
        this.port = port;
        this.logFile = logFile;
    }

    /** Starts the registry from the app jar found by {@link #locateAppJar()}. */
    public static SchemaRegistryServer start(Path workDir) {
        return start(locateAppJar(), workDir);
    }

    /**
     * Starts the registry and waits until it is ready.
     *
     * @param appJar  the app's {@code quarkus-run.jar} (it needs its sibling folders of {@code quarkus-app/})
     * @param workDir folder for the process log ({@code registry-<port>.log}) and its working directory
     * @throws IllegalStateException if it does not become ready within 60 s (the message holds the log's tail)
     */
    public static SchemaRegistryServer start(Path appJar, Path workDir) {
        if (!Files.isRegularFile(appJar)) {
            throw new IllegalStateException("Schema registry app jar not found: " + appJar
                    + "; build it with: mvn -pl registry-server package");
        }
        try {
            Files.createDirectories(workDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + workDir, e);
        }
        for (int attempt = 1; ; attempt++) {
            int port = freePort();
            Path logFile = workDir.toAbsolutePath().resolve("registry-" + port + ".log");
            SchemaRegistryServer server = launch(appJar.toAbsolutePath(), workDir.toAbsolutePath(), port, logFile,
                    IN_MEMORY_STORAGE);
            try {
                server.awaitReady();
                LOG.log(Level.INFO, "Schema registry ready at {0} (log: {1})", server.url(), logFile);
                return server;
            } catch (RuntimeException e) {
                server.close();
                if (attempt < MAX_ATTEMPTS && logTail(logFile).contains("seems to be in use")) {
                    LOG.log(Level.WARNING, "Port {0} was taken before the registry bound it; retrying", port);
                    continue;
                }
                throw e;
            }
        }
    }

    /**
     * Starts a registry that keeps its schemas in an H2 file under {@code workDir}, on a fixed port, so a
     * restart finds every schema id it gave out (records in Kafka and state stores refer to them).
     */
    public static SchemaRegistryServer startPersistent(Path appJar, Path workDir, int port) {
        try {
            Files.createDirectories(workDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + workDir, e);
        }
        Path dir = workDir.toAbsolutePath();
        Path logFile = dir.resolve("registry.log");
        SchemaRegistryServer server = launch(appJar.toAbsolutePath(), dir, port, logFile,
                "jdbc:h2:file:" + dir.resolve("schemas") + ";LOCK_TIMEOUT=15000");
        try {
            server.awaitReady();
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /**
     * Finds the app jar: the system property {@value #APP_JAR_PROPERTY} if set, else
     * {@value #APP_JAR_RELATIVE_PATH} in the current directory or the nearest parent that has it.
     *
     * @throws IllegalStateException if it is not there (i.e. the registry-server module was not built)
     */
    public static Path locateAppJar() {
        String configured = System.getProperty(APP_JAR_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            Path jar = Path.of(configured).toAbsolutePath();
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException("System property " + APP_JAR_PROPERTY + " points to " + jar
                        + ", which does not exist; build it with: mvn -pl registry-server package");
            }
            return jar;
        }
        Path cwd = Path.of("").toAbsolutePath();
        for (Path dir = cwd; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(APP_JAR_RELATIVE_PATH);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("Schema registry app not found: no " + APP_JAR_RELATIVE_PATH + " in " + cwd
                + " or its parents, and system property " + APP_JAR_PROPERTY
                + " is not set; build it with: mvn -pl registry-server package");
    }

    /** Base URL of the Confluent-compatible API, e.g. {@code http://127.0.0.1:41234/apis/ccompat/v6}. */
    public String url() {
        return "http://" + HOST + ":" + port + CCOMPAT_PATH;
    }

    /** The HTTP port the registry listens on (loopback only). */
    public int port() {
        return port;
    }

    /** The file that receives the registry's stdout and stderr. */
    public Path logFile() {
        return logFile;
    }

    /** Stops the registry (SIGTERM, then SIGKILL after 10 s) and waits for it to exit. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stop(process, STOP_TIMEOUT);
    }

    // ---------------------------------------------------------------------------------------------------

    /**
     * Apicurio keeps schemas in H2. Its default 1 s lock timeout fails concurrent registrations with HTTP 500
     * ("Timeout trying to lock table"), so every storage URL sets a longer one.
     */
    private static final String IN_MEMORY_STORAGE = "jdbc:h2:mem:registry_db;LOCK_TIMEOUT=15000";

    private static SchemaRegistryServer launch(Path appJar, Path workDir, int port, Path logFile, String storageUrl) {
        // Not "-jar": the app's main class runs under ExitWithParent, with the app jar on the class path
        // (its manifest's Class-Path is honoured there as well).
        String classPath = appJar + File.pathSeparator + ExitWithParent.classPathEntry();
        List<String> command = new ArrayList<>(List.of(
                javaExecutable(),
                "-Xmx256m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",                      // faster start-up of a short-lived server
                "-Dquarkus.http.host=" + HOST,
                "-Dquarkus.http.port=" + port,
                "-Dquarkus.banner.enabled=false",
                "-Dquarkus.datasource.jdbc.url=" + storageUrl,
                "-DLOG_LEVEL=WARN",                             // root level, read by Apicurio's config
                "-DREGISTRY_LOG_LEVEL=WARN",                    // io.apicurio.* level (INFO by default)
                "-Dquarkus.log.category.\"io.sentry\".level=ERROR", // Sentry is off but warns about it
                "-cp", classPath));
        command.addAll(ExitWithParent.command(mainClass(appJar)));
        ProcessBuilder builder = new ProcessBuilder(OwnSession.command(command))
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
        return new SchemaRegistryServer(process, port, logFile);
    }

    private static String mainClass(Path appJar) {
        try (JarFile jar = new JarFile(appJar.toFile())) {
            return jar.getManifest().getMainAttributes().getValue(Attributes.Name.MAIN_CLASS);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the manifest of " + appJar, e);
        }
    }

    /** Polls the readiness endpoint until it answers 200, the process dies, or the deadline passes. */
    private void awaitReady() {
        URI readiness = URI.create("http://" + HOST + ":" + port + "/health/ready");
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest request = HttpRequest.newBuilder(readiness).timeout(Duration.ofSeconds(2)).GET().build();
        Instant deadline = Instant.now().plus(STARTUP_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            try {
                if (client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notListeningYet) {
                // connection refused until the HTTP server is up
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the schema registry", e);
            }
            try {
                // pause 200 ms between polls, returning at once if the process exits
                if (process.waitFor(200, TimeUnit.MILLISECONDS)) {
                    throw new IllegalStateException("Schema registry exited with code " + process.exitValue()
                            + " before it was ready; log " + logFile + ":\n" + logTail(logFile));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the schema registry", e);
            }
        }
        throw new IllegalStateException("Schema registry not ready within " + STARTUP_TIMEOUT.toSeconds()
                + " s at " + readiness + "; log " + logFile + ":\n" + logTail(logFile));
    }

    /** Terminates the process and its descendants, escalating to a forcible kill after {@code timeout}. */
    private static void stop(Process process, Duration timeout) {
        List<ProcessHandle> descendants = process.descendants().toList();
        descendants.forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                descendants.forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            descendants.forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** The java launcher of this JVM, so the registry runs on the same JDK as the tests. */
    private static String javaExecutable() {
        return ProcessHandle.current().info().command()
                .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** A free port on loopback; another process may still take it before the registry binds it (see retry). */
    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port", e);
        }
    }

    /** The last lines of the log, for error messages. */
    private static String logTail(Path logFile) {
        try {
            List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(log unreadable: " + e + ")";
        }
    }
}
