package com.personasettings.devlauncher;

import com.personasettings.bench.StoreBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code ./persona-settings bench-store}: the dedup store's size and restore time as commands accumulate. */
@Command(name = "bench-store", mixinStandardHelpOptions = true,
        description = "Measures the processor's dedup store after N commands: size on disk and in its changelog, "
                + "clean restart and restart without local state (on a fresh stack of its own).")
final class StoreBenchCommand implements Callable<Integer> {

    @Option(names = "--commands", split = ",", defaultValue = "1000000,5000000",
            description = "Cumulative command counts to measure at (default: ${DEFAULT-VALUE}).")
    List<Long> commands;

    @Option(names = "--dedup-window-ms", description = "PROCESSOR_DEDUP_WINDOW_MS for the run (default: the processor's).")
    Long window;

    @Option(names = "--age-minutes", description = "Also measure after the commands are this old (default: not).")
    Long ageMinutes;

    @Option(names = "--work-dir", defaultValue = "target/bench-store", description = "The stack's files, deleted first (default: ${DEFAULT-VALUE}).")
    Path workDir;

    @Option(names = "--out", description = "Also append the figures to this file (markdown table rows).")
    Path out;

    @Override
    public Integer call() throws Exception {
        Map<String, String> settings = new HashMap<>();
        if (window != null) {
            settings.put("PROCESSOR_DEDUP_WINDOW_MS", window.toString());
        }
        List<StoreBenchmark.Point> points = new StoreBenchmark(System.out, com.personasettings.launcher.Launcher.class.getName()).run(workDir.toAbsolutePath(), commands,
                settings, ageMinutes == null ? null : Duration.ofMinutes(ageMinutes));
        StringBuilder rows = new StringBuilder();
        for (StoreBenchmark.Point p : points) {
            rows.append(String.format("| %,d | %s | %,.1f MB | %,.1f MB | %s | %.2f s | %.2f s |%n", p.commands(),
                    p.when(), p.storeBytes() / 1e6, p.changelogBytes() / 1e6,
                    p.drainPerSecond() > 0 ? String.format("%,.0f/s", p.drainPerSecond()) : "",
                    p.cleanRestart().toMillis() / 1e3, p.restartWithoutLocalState().toMillis() / 1e3));
        }
        System.out.print(rows);
        if (out != null) {
            Files.writeString(out, rows, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        }
        return 0;
    }
}
