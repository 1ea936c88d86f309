package com.personasettings.bench;

import com.personasettings.devstack.ChildJvm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * CPU flame graphs of running JVMs: async-profiler (from the ap-loader jar on this class path, with its native
 * library for this platform) attached to each for a while, in sampling mode, each writing an HTML flame graph.
 * Native frames (the JIT's, GC's and the kernel's) are in them, which JFR on JDK 17 leaves out.
 */
final class FlameGraphs {

    private FlameGraphs() {
    }

    /**
     * Starts profiling every process for {@code duration}; the returned handle waits for the graphs.
     *
     * @param pids by name: {@code dir/flame-<name>.html} is written for each
     */
    static Recording start(Map<String, Long> pids, Duration duration, Path dir) {
        try {
            Files.createDirectories(dir);
            List<Process> profilers = new ArrayList<>();
            List<Path> logs = new ArrayList<>();
            for (var process : pids.entrySet()) {
                Path html = dir.resolve("flame-" + process.getKey() + ".html");
                Path log = dir.resolve("flame-" + process.getKey() + ".log");
                logs.add(log);
                profilers.add(new ProcessBuilder(ChildJvm.command(List.of(), "one.profiler.AsyncProfilerLoader",
                        List.of("profiler", "-e", "cpu", "-i", "1ms", "-d", Long.toString(duration.toSeconds()),
                                "-f", html.toString(), Long.toString(process.getValue()))))
                        .redirectErrorStream(true).redirectOutput(log.toFile()).start());
            }
            return new Recording(profilers, logs, duration);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start async-profiler", e);
        }
    }

    /** Profilers at work. */
    record Recording(List<Process> profilers, List<Path> logs, Duration duration) {

        /** Waits until every profiler has written its graph; the log of one that failed stays, saying why. */
        void await() throws InterruptedException {
            for (int i = 0; i < profilers.size(); i++) {
                Process profiler = profilers.get(i);
                if (!profiler.waitFor(duration.toSeconds() + 60, TimeUnit.SECONDS)) {
                    profiler.destroyForcibly();
                } else if (profiler.exitValue() == 0) {
                    try {
                        Files.deleteIfExists(logs.get(i));
                    } catch (IOException e) {
                        // a log left behind is harmless
                    }
                }
            }
        }
    }
}
