package com.personasettings.devlauncher;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * One run of {@code ./persona-settings} as a user starts it, from the project root. Its stdout and stderr
 * are kept line by line (and stderr is also appended to {@code target/<log>}, for reading after a failure).
 */
final class LauncherRun {

    private final Process process;
    private final List<String> out = new CopyOnWriteArrayList<>();
    private final List<String> err = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Void> outRead;
    private final CompletableFuture<Void> errRead;

    private LauncherRun(Process process, Path log) {
        this.process = process;
        outRead = CompletableFuture.runAsync(() -> read(process.getInputStream(), out, null));
        errRead = CompletableFuture.runAsync(() -> read(process.getErrorStream(), err, log));
    }

    static LauncherRun start(String log, Map<String, String> environment, List<String> arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of("bash", "persona-settings"));
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command).directory(Path.of("..").toAbsolutePath().normalize().toFile());
        builder.environment().putAll(environment);
        return new LauncherRun(builder.start(), Path.of("target", log).toAbsolutePath());
    }

    /** The launcher JVM: the script execs java, so this is the process a user's Ctrl-C or kill reaches. */
    Process process() {
        return process;
    }

    List<String> out() {
        return out;
    }

    List<String> err() {
        return err;
    }

    /** All of stdout, once the process has closed it (it has exited, say). */
    List<String> outAfterExit() throws Exception {
        outRead.get(10, TimeUnit.SECONDS);
        return out;
    }

    /** All of stderr, once the process has closed it (it has exited, say). */
    List<String> errAfterExit() throws Exception {
        errRead.get(10, TimeUnit.SECONDS);
        return err;
    }

    /**
     * SIGTERM, as Ctrl-C or a service manager sends it. Through the ProcessHandle: Process.destroy() also
     * closes our end of the pipes, and what the process prints while it stops would be lost.
     */
    void sigterm() {
        process.toHandle().destroy();
    }

    /** SIGKILL: the process ends at once, no shutdown hook runs. */
    void sigkill() {
        process.toHandle().destroyForcibly();
    }

    /** Waits for a line on stdout, failing at once if the process exits first. */
    void awaitOutput(String line, Duration atMost) {
        await().atMost(atMost).failFast("the launcher exited: " + err, () -> !process.isAlive())
                .until(() -> out.contains(line));
    }

    /** A line of stdout that starts with the prefix, without it. */
    String outputAfter(String prefix) {
        return out.stream().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow()
                .substring(prefix.length()).trim();
    }

    private static void read(InputStream stream, List<String> lines, Path log) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lines.add(line);
                if (log != null) {
                    java.nio.file.Files.writeString(log, line + "\n", StandardCharsets.UTF_8,
                            java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
                }
            }
        } catch (IOException closed) {
            // the process is gone
        }
    }
}
