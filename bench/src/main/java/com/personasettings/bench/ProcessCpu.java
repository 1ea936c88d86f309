package com.personasettings.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * CPU time used so far by each part of the stack, read from /proc: every process whose command line matches a
 * part's rule, with all its descendants (PostgreSQL's backends are the postmaster's children), each counted with
 * the time of its children that have exited ({@code cutime}, {@code cstime}), so backends and workers that come and
 * go during a phase are not lost. Two samples' difference over the commands of a phase is the CPU each part spent
 * per command: on a shared machine the figure that moves least with the noise, and the one that says where the
 * limit is (throughput ≤ cores ÷ total CPU per command).
 */
public final class ProcessCpu {

    /**
     * Linux counts process times in clock ticks of {@code sysconf(_SC_CLK_TCK)}, which is 100 on every
     * architecture the JDK runs on (it is fixed by the kernel's user ABI, not by CONFIG_HZ).
     */
    private static final long MICROS_PER_TICK = 10_000;

    /** A part of the stack: its name and how to recognize its root process by command line. */
    public record Part(String name, Predicate<String> commandLine) {

        /** A part whose root process's command line contains {@code marker}. */
        public static Part containing(String name, String marker) {
            return new Part(name, line -> line.contains(marker));
        }
    }

    private final Path proc;
    private final List<Part> parts;

    public ProcessCpu(Path proc, List<Part> parts) {
        this.proc = proc;
        this.parts = List.copyOf(parts);
    }

    /** Reads the real /proc. */
    public ProcessCpu(List<Part> parts) {
        this(Path.of("/proc"), parts);
    }

    /**
     * One reading: CPU microseconds used so far by each part, in the parts' order (0 for a part not running), and of
     * them by the JIT compiler threads of its JVMs ({@code C1 CompilerThre…}, {@code C2 CompilerThre…}, as the kernel
     * shortens their names; a compiler thread the JVM stopped meanwhile is no longer counted there, so a lower bound).
     */
    public record Sample(Map<String, Long> micros, Map<String, Long> jitMicros) {

        public Sample(Map<String, Long> micros) {
            this(micros, Map.of());
        }

        /** Microseconds each part used from {@code earlier} to this sample. */
        public Map<String, Long> since(Sample earlier) {
            return difference(micros, earlier.micros);
        }

        /** Microseconds each part's JIT compiler threads used from {@code earlier} to this sample. */
        public Map<String, Long> jitSince(Sample earlier) {
            return difference(jitMicros, earlier.jitMicros);
        }

        private static Map<String, Long> difference(Map<String, Long> now, Map<String, Long> then) {
            Map<String, Long> used = new LinkedHashMap<>();
            now.forEach((part, value) -> used.put(part, Math.max(0, value - then.getOrDefault(part, 0L))));
            return used;
        }
    }

    public Sample sample() {
        Map<Integer, Stat> stats = readAll();
        Map<Integer, List<Integer>> children = new HashMap<>();
        stats.values().forEach(s -> children.computeIfAbsent(s.ppid, p -> new ArrayList<>()).add(s.pid));
        Map<String, Long> micros = new LinkedHashMap<>();
        Map<String, Long> jit = new LinkedHashMap<>();
        for (Part part : parts) {
            long ticks = 0;
            long jitTicks = 0;
            for (Stat root : stats.values()) {
                if (part.commandLine().test(root.commandLine) && !hasMatchingAncestor(root, part, stats)) {
                    ticks += treeSum(root.pid, children, pid -> stats.get(pid).ticks);
                    jitTicks += treeSum(root.pid, children, this::jitTicks);
                }
            }
            micros.put(part.name(), ticks * MICROS_PER_TICK);
            jit.put(part.name(), jitTicks * MICROS_PER_TICK);
        }
        return new Sample(micros, jit);
    }

    /** The utime and stime of a process's JIT compiler threads (its tasks named as HotSpot names them). */
    private long jitTicks(int pid) {
        long ticks = 0;
        try (Stream<Path> tasks = Files.list(proc.resolve(Integer.toString(pid)).resolve("task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String stat = Files.readString(task.resolve("stat"), StandardCharsets.UTF_8);
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
                        String[] fields = fieldsAfterName(stat);
                        ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                    }
                } catch (IOException | RuntimeException gone) {
                    // the thread ended while being read
                }
            }
        } catch (IOException | RuntimeException gone) {
            // no task directory (the process ended, or a made-up /proc without one)
        }
        return ticks;
    }

    /** The process of each part that is running (its outermost match), by part name. */
    public Map<String, Long> pids() {
        Map<Integer, Stat> stats = readAll();
        Map<String, Long> pids = new LinkedHashMap<>();
        for (Part part : parts) {
            stats.values().stream()
                    .filter(s -> part.commandLine().test(s.commandLine) && !hasMatchingAncestor(s, part, stats))
                    .findFirst().ifPresent(s -> pids.put(part.name(), (long) s.pid));
        }
        return pids;
    }

    /** A child matching its parent's rule (a wrapper exec'ing the real program) is counted with the parent. */
    private static boolean hasMatchingAncestor(Stat stat, Part part, Map<Integer, Stat> stats) {
        for (Stat parent = stats.get(stat.ppid); parent != null; parent = stats.get(parent.ppid)) {
            if (part.commandLine().test(parent.commandLine)) {
                return true;
            }
        }
        return false;
    }

    /** {@code value} of the process and of each of its descendants, summed. */
    private static long treeSum(int pid, Map<Integer, List<Integer>> children,
                                java.util.function.IntToLongFunction value) {
        long sum = value.applyAsLong(pid);
        for (int child : children.getOrDefault(pid, List.of())) {
            sum += treeSum(child, children, value);
        }
        return sum;
    }

    private record Stat(int pid, int ppid, long ticks, String commandLine) {
    }

    private Map<Integer, Stat> readAll() {
        Map<Integer, Stat> stats = new HashMap<>();
        try (Stream<Path> entries = Files.list(proc)) {
            entries.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .forEach(dir -> read(dir).ifPresent(s -> stats.put(s.pid, s)));
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + proc, e);
        }
        return stats;
    }

    /** A process's stat line; empty when it exited while being read. */
    private static java.util.Optional<Stat> read(Path dir) {
        try {
            String stat = Files.readString(dir.resolve("stat"), StandardCharsets.UTF_8);
            String commandLine = new String(Files.readAllBytes(dir.resolve("cmdline")), StandardCharsets.UTF_8)
                    .replace('\0', ' ');
            return java.util.Optional.of(parse(stat, commandLine));
        } catch (IOException | RuntimeException gone) {
            return java.util.Optional.empty();
        }
    }

    /**
     * Fields of proc(5) after the command name, which is in parentheses and may itself hold spaces and parentheses:
     * so the fields are counted from the last ')'. ppid is field 4; utime, stime, cutime, cstime are 14 to 17.
     */
    static Stat parse(String stat, String commandLine) {
        int pid = Integer.parseInt(stat.substring(0, stat.indexOf(' ')));
        String[] fields = fieldsAfterName(stat);
        // fields[0] is field 3 (state)
        int ppid = Integer.parseInt(fields[1]);
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]) + Long.parseLong(fields[13])
                + Long.parseLong(fields[14]);
        return new Stat(pid, ppid, ticks, commandLine);
    }

    /** A stat line's fields from field 3 (state) on: those after the name, counted from the last ')'. */
    private static String[] fieldsAfterName(String stat) {
        return stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
    }
}
