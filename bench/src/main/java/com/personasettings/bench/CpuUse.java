package com.personasettings.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The CPU each part of the stack used during one phase, and the commands the phase handled.
 *
 * @param micros    CPU microseconds by part, in the order the report lists them
 * @param jitMicros of them, what each part's JIT compiler threads used
 * @param commands  commands (or requests) the phase handled
 * @param wall      the phase's length
 */
public record CpuUse(Map<String, Long> micros, Map<String, Long> jitMicros, long commands, Duration wall) {

    /** The part that generates the load: reported, but not counted in {@link #serverMicrosPerCommand()}. */
    public static final String LOAD_GENERATOR = "load generator";

    public CpuUse {
        micros = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(micros));
        jitMicros = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(jitMicros));
    }

    public CpuUse(Map<String, Long> micros, long commands, Duration wall) {
        this(micros, Map.of(), commands, wall);
    }

    static CpuUse between(ProcessCpu.Sample before, ProcessCpu.Sample after, long commands, Duration wall) {
        return new CpuUse(after.since(before), after.jitSince(before), commands, wall);
    }

    /**
     * The servers' JIT compiler threads per command: part of {@link #serverMicrosPerCommand()}, the cost of code
     * still warming up.
     */
    public double serverJitMicrosPerCommand() {
        long jit = jitMicros.entrySet().stream().filter(e -> !e.getKey().equals(LOAD_GENERATOR))
                .mapToLong(Map.Entry::getValue).sum();
        return commands == 0 ? 0 : jit / (double) commands;
    }

    public double jitMicrosPerCommand(String part) {
        return commands == 0 ? 0 : jitMicros.getOrDefault(part, 0L) / (double) commands;
    }

    public double microsPerCommand(String part) {
        return commands == 0 ? 0 : micros.getOrDefault(part, 0L) / (double) commands;
    }

    /** Every part but the load generator, per command: what a command costs the machine. */
    public double serverMicrosPerCommand() {
        long server = micros.entrySet().stream().filter(e -> !e.getKey().equals(LOAD_GENERATOR))
                .mapToLong(Map.Entry::getValue).sum();
        return commands == 0 ? 0 : server / (double) commands;
    }

    /** Cores busy on average during the phase, every part included. */
    public double cores() {
        return micros.values().stream().mapToLong(Long::longValue).sum() / (wall.toNanos() / 1e3);
    }

    /**
     * The rate the machine's cores could carry at this cost per command if the servers had them all:
     * {@code cores × 10⁶ ÷ server µs per command}.
     */
    public double boundPerSecond(int cores) {
        double perCommand = serverMicrosPerCommand();
        return perCommand == 0 ? 0 : cores * 1e6 / perCommand;
    }
}
