package com.personasettings.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.personasettings.devstack.ChildJvm;
import org.HdrHistogram.Histogram;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The open-loop load generator as a JVM of its own, so that what it costs is its own on /proc and not counted with
 * the servers it measures. It stays up for the whole benchmark (its JIT stays warm) and runs one {@link OpenLoop} at
 * a time on request: one JSON line on its standard input, one result line on its standard output.
 */
public final class LoadGenerator implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RESULT = "result ";

    /** What to send. */
    enum Kind {
        /** The PATCH mix, waiting for each answer. */
        PATCH,
        /** The PATCH mix with {@code Prefer: respond-async}. */
        PATCH_ASYNC,
        /** The peer's trivial authenticated request. */
        PING
    }

    /** One run: the kind of request, to which server, at what rate, for how long. */
    record Run(Kind kind, URI server, double rate, long millis) {
    }

    /** A run's result, as it crosses the pipe: the latency histogram compressed, in base 64. */
    record Answer(double rate, long millis, Map<Integer, Long> statuses, String histogram) {

        static Answer of(OpenLoop.Result result) {
            ByteBuffer buffer = ByteBuffer.allocate(result.latency().getNeededByteBufferCapacity());
            int length = result.latency().encodeIntoCompressedByteBuffer(buffer);
            return new Answer(result.rate(), result.duration().toMillis(), result.statuses(),
                    Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buffer.array(), length)));
        }

        OpenLoop.Result result() {
            try {
                Histogram latency = Histogram.decodeFromCompressedByteBuffer(
                        ByteBuffer.wrap(Base64.getDecoder().decode(histogram)), 0);
                return new OpenLoop.Result(rate, Duration.ofMillis(millis), latency, new TreeMap<>(statuses));
            } catch (java.util.zip.DataFormatException e) {
                throw new IllegalStateException("the load generator's histogram does not decode", e);
            }
        }
    }

    private final Process process;
    private final PrintStream requests;
    private final BufferedReader answers;
    private final Path log;

    private LoadGenerator(Process process, Path log) {
        this.process = process;
        this.log = log;
        this.requests = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
        this.answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /** Starts the generator for {@code spec}'s org, keys and numbers; its errors go to {@code dir/load-generator.log}. */
    static LoadGenerator start(Path dir, Workload.Spec spec) throws IOException {
        Path specFile = dir.resolve("workload.json");
        JSON.writeValue(specFile.toFile(), spec);
        Path log = dir.resolve("load-generator.log");
        Process process = new ProcessBuilder(ChildJvm.command(List.of("-Xmx512m"), Main.class.getName(),
                List.of(specFile.toString())))
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        return new LoadGenerator(process, log);
    }

    /** Runs one open loop in the generator's JVM and returns its result. */
    OpenLoop.Result run(Kind kind, URI server, double rate, Duration duration) throws IOException {
        requests.println(JSON.writeValueAsString(new Run(kind, server, rate, duration.toMillis())));
        String line;
        while ((line = answers.readLine()) != null) {
            if (line.startsWith(RESULT)) {
                return JSON.readValue(line.substring(RESULT.length()), Answer.class).result();
            }
            Files.writeString(log, line + "\n", java.nio.file.StandardOpenOption.APPEND,
                    java.nio.file.StandardOpenOption.CREATE);
        }
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new IllegalStateException("the load generator's output ended ("
                + (process.isAlive() ? "still running" : "exit status " + process.exitValue()) + "); see " + log);
    }

    /** The command-line marker of the generator's process, for {@link ProcessCpu}. */
    static String commandLineMarker() {
        return Main.class.getName();
    }

    @Override
    public void close() throws InterruptedException {
        requests.close();    // end of input: the generator exits
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    /** The generator's JVM: reads runs from standard input until it ends. */
    public static final class Main {

        private Main() {
        }

        public static void main(String[] args) throws Exception {
            Workload.Spec spec = JSON.readValue(Path.of(args[0]).toFile(), Workload.Spec.class);
            Map<URI, Workload> workloads = new HashMap<>();
            PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
                    StandardCharsets.UTF_8);
            // Whatever else writes to standard output (a logger) must not be taken for an answer.
            System.setOut(System.err);
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            try {
                String line;
                while ((line = in.readLine()) != null) {
                    Run run = JSON.readValue(line, Run.class);
                    Workload workload = workloads.get(run.server());
                    if (workload == null) {
                        workload = Workload.of(spec.at(run.server()));
                        workloads.put(run.server(), workload);
                    }
                    Workload target = workload;
                    OpenLoop.Result result = OpenLoop.run(run.rate(), Duration.ofMillis(run.millis()), i -> switch (run.kind()) {
                        case PATCH -> target.patch(false);
                        case PATCH_ASYNC -> target.patch(true);
                        case PING -> target.ping();
                    });
                    out.println(RESULT + JSON.writeValueAsString(Answer.of(result)));
                }
            } finally {
                for (Workload workload : workloads.values()) {
                    workload.close();
                }
            }
        }
    }
}
