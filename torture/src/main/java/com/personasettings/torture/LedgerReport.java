package com.personasettings.torture;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * The result of a ledger check: counts per phase, how much each rule checked, and every violation.
 *
 * @param phases the setup, then each phase of the run, in order
 */
record LedgerReport(List<PhaseCounts> phases, Map<Rule, Long> checked, List<Ledger.Violation> violations,
                    List<String> replayLines) {

    boolean passed() {
        return violations.isEmpty();
    }

    long violations(Rule rule) {
        return violations.stream().filter(v -> v.rule() == rule).count();
    }

    PhaseCounts total() {
        return phases.stream().reduce(PhaseCounts.empty("total"), PhaseCounts::plus);
    }

    /** The table per phase, the rules with what each checked, the violations (some of each rule) and the verdict. */
    void print(List<Phase> runPhases, PrintStream out) {
        out.println();
        out.println("Phases:");
        for (Phase phase : runPhases) {
            out.printf("  %-28s %5.0f s  %s%n", phase.name(), (phase.end() - phase.start()) / 1000.0, phase.what());
        }
        out.println();
        String format = "%-28s %6s %6s %6s %5s %5s %6s %5s %7s %8s %8s %5s %5s%n";
        out.printf(format, "Phase", "Sent", "200", "202", "4xx", "503", "503+", "5xx*", "Timeout", "Conn err",
                "Applied?", "Lost", "Dup");
        for (PhaseCounts phase : phases) {
            row(out, format, phase);
        }
        row(out, format, total());
        out.println("  Sent: HTTP requests (retries and repeats included), by the phase they were sent in. 503+: 503"
                + " answers whose own command was processed all the same. 5xx*: any 5xx but 503. Applied?: requests"
                + " answered only by 5xx, timeouts or broken connections whose commands were processed all the same."
                + " Lost, Dup: requests, by the phase of their first send.");
        out.println();
        out.println("Ledger:");
        for (Rule rule : Rule.values()) {
            long bad = violations(rule);
            out.printf("  %-4s %-14s %,9d checked  %s%n", bad == 0 ? "ok" : "FAIL", rule, checked.getOrDefault(rule, 0L),
                    bad == 0 ? rule.meaning : bad + " violation(s): " + rule.meaning);
        }
        replayLines.stream().filter(l -> l.startsWith("Identical") || l.contains("differences in"))
                .forEach(l -> out.println("  replay --verify: " + l));
        for (Rule rule : Rule.values()) {
            violations.stream().filter(v -> v.rule() == rule).limit(Ledger.SHOWN_PER_RULE)
                    .forEach(v -> out.println("  " + rule + " [" + v.phase() + "] " + v.detail()));
        }
        out.println();
        out.println(passed() ? "LEDGER OK: lost = 0, duplicated = 0, nothing invented, replay identical."
                : "LEDGER FAILED: " + violations.size() + " violation(s); lost = " + total().lost()
                + ", duplicated = " + total().duplicated() + ".");
    }

    private static void row(PrintStream out, String format, PhaseCounts c) {
        out.printf(format, c.phase(), c.sent(), c.ok(), c.accepted(), c.clientErrors(), c.unavailable(),
                c.unavailableApplied(), c.otherServerErrors(), c.timeouts(), c.connectionErrors(), c.appliedUnanswered(), c.lost(),
                c.duplicated());
    }
}
