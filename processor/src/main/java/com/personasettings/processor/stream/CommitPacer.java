package com.personasettings.processor.stream;

import java.util.function.LongSupplier;

/**
 * When a record with a caller waiting may ask for a commit (PROCESSOR_COMMIT_ON_DEMAND): once the stream thread has
 * spent at least three times as long since its last commit as that commit took. Asking after every such record would be worse
 * than a fixed interval under load: Kafka Streams halves the records it processes between commit checks after every
 * commit, so a request per record becomes a commit per record (at 1,000 requests/s the sync p50 went from 36 ms to
 * 5.5 s, docs/benchmarks.md). Paced, an idle processor commits a lone record at once, and a busy one spends at least
 * three times as long processing the records that arrived while it committed (which then share one commit) as it
 * spends on the commits asked for this way; the interval's own commits come on top.
 *
 * <p>Each stream thread has its own transactions, so the times are kept per thread; the thread's producer reports
 * its commits ({@link DatabaseCommittingProducer}), its tasks ask.
 */
public final class CommitPacer {

    /**
     * How many times as long as its last commit took the thread processes before a record may ask again: at most a
     * quarter of its time goes to commits. With 1 (half its time, the first pacer) the processor fell behind at
     * 2,000 requests/s (p50 2.3 s); with 3, on demand beat the fixed interval at 200, 1,000 and 2,000/s in one run
     * (docs/benchmarks.md, "Commit on demand, paced by three").
     */
    static final int GAP_PER_COMMIT_TIME = 3;

    private record Last(long startNanos, long endNanos) {
    }

    private final boolean enabled;
    private final LongSupplier nanoTime;
    private final ThreadLocal<Last> last = ThreadLocal.withInitial(() -> new Last(0, 0));

    CommitPacer(boolean enabled, LongSupplier nanoTime) {
        this.enabled = enabled;
        this.nanoTime = nanoTime;
    }

    /** @param enabled false: no record asks, commits come at the interval only */
    public static CommitPacer of(boolean enabled) {
        return new CommitPacer(enabled, System::nanoTime);
    }

    /** Whether a record processed now on this thread should ask for a commit at the end of the loop. */
    boolean due() {
        if (!enabled) {
            return false;
        }
        Last commit = last.get();
        long now = nanoTime.getAsLong();
        return now - commit.endNanos() >= GAP_PER_COMMIT_TIME * (commit.endNanos() - commit.startNanos());
    }

    /** This thread committed (or tried to) from {@code startNanos} until now. */
    void committed(long startNanos) {
        last.set(new Last(startNanos, nanoTime.getAsLong()));
    }
}
