package com.personasettings.bench;

import java.time.Duration;

/**
 * How the processor commits during a sync run: every {@code interval}, and, {@code onDemand}, also at the end of any
 * loop that processed a record with a caller waiting (PROCESSOR_COMMIT_ON_DEMAND).
 */
public record CommitPolicy(Duration interval, boolean onDemand) {

    /** As the results show it, e.g. {@code commit interval 20 ms, on demand}. */
    String label() {
        return "commit interval " + interval.toMillis() + " ms" + (onDemand ? ", on demand" : ", fixed");
    }

    /** As file names show it, e.g. {@code commit-20ms-demand}. */
    String fileTag() {
        return "commit-" + interval.toMillis() + "ms" + (onDemand ? "-demand" : "");
    }
}
