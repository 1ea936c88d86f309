package com.personasettings.torture;

import java.io.PrintStream;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the faults one after another while the load runs: first a baseline phase without a fault, then for each
 * fault: inject it, keep the part down for its outage, bring it back and wait until it serves, then let the stack
 * run on until the phase has lasted its length (and at least a third of it since the recovery), so every fault
 * starts on a stack that has recovered from the one before. Those waits are fixed times on purpose: they are the
 * scenario (how long a part is down, how long the stack runs between faults), not synchronisation.
 */
final class Schedule {

    static final String BASELINE = "baseline (no fault)";

    private final Duration phase;
    private final List<Fault> faults;
    private final PrintStream out;
    private final List<Phase> done = new ArrayList<>();

    Schedule(Duration phase, List<Fault> faults, PrintStream out) {
        this.phase = phase;
        this.faults = faults;
        this.out = out;
    }

    /** The phase length for a run of {@code total}: the baseline and each fault get an equal share. */
    static Duration phaseFor(Duration total, int faults) {
        return total.dividedBy(faults + 1);
    }

    /** Runs every phase; returns them with their times. Throws when a part does not come back. */
    List<Phase> run() throws Exception {
        long start = System.currentTimeMillis();
        say("baseline: " + phase.toSeconds() + " s of load without a fault");
        Thread.sleep(phase.toMillis()); // scenario: the baseline phase's length
        done.add(new Phase(BASELINE, start, System.currentTimeMillis(), ""));
        for (Fault fault : faults) {
            start = System.currentTimeMillis();
            String what = fault.inject().run();
            say(fault.name() + ": " + what + "; down for " + seconds(fault.outage()));
            Thread.sleep(fault.outage().toMillis()); // scenario: how long the part stays down
            long back = System.currentTimeMillis();
            fault.recover().run();
            long recovered = System.currentTimeMillis();
            say(fault.name() + ": back and serving after " + seconds(Duration.ofMillis(recovered - back)));
            // Scenario: the stack runs on until the phase has lasted its length, and at least a third of a phase
            // after the recovery.
            long until = Math.max(start + phase.toMillis(), recovered + phase.toMillis() / 3);
            Thread.sleep(Math.max(0, until - System.currentTimeMillis()));
            done.add(new Phase(fault.name(), start, System.currentTimeMillis(), what + "; down "
                    + seconds(fault.outage()) + ", serving again " + seconds(Duration.ofMillis(recovered - back))
                    + " after the restart"));
        }
        return List.copyOf(done);
    }

    private void say(String line) {
        out.println(LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + " " + line);
    }

    private static String seconds(Duration duration) {
        return String.format("%.1f s", duration.toMillis() / 1000.0);
    }
}
