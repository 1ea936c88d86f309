package com.personasettings.processor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The processor as a separate JVM, so a test can kill it the hard way (SIGKILL) mid-stream. */
final class ProcessorProcess implements AutoCloseable {

    private final Process process;

    private ProcessorProcess(Process process) {
        this.process = process;
        // A test JVM that exits early must not leave a processor running.
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
    }

    static ProcessorProcess start(Map<String, String> environment, Path log) {
        try {
            Files.createDirectories(log.getParent());
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ProcessBuilder builder = new ProcessBuilder(java, "-Xmx512m",
                    "-cp", System.getProperty("java.class.path"), ProcessorApp.class.getName())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(environment);
            return new ProcessorProcess(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGKILL: no shutdown hook runs, no transaction is committed or aborted cleanly. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(Duration.ofSeconds(30).toMillis(), TimeUnit.MILLISECONDS)) {
            kill();
        }
    }
}
