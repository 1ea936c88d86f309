package com.personasettings.processor.stream;

/**
 * When a record with a caller waiting may ask for a commit (PROCESSOR_COMMIT_ON_DEMAND): once the stream thread has
 * spent at least as long since its last commit as that commit took. Asking after every such record would be worse
 * than a fixed interval under load: Kafka Streams halves the records it processes between commit checks after every
 * commit, so a request per record becomes a commit per record (at 1,000 requests/s the sync p50 went from 36 ms to
 * 5.5 s, docs/benchmarks.md). Paced, an idle processor commits a lone record at once, and a busy one spends about
 * half its time processing the records that arrived while it committed, which then share one commit.
 *
 * <p>Each stream thread has its own transactions, so the times are kept per thread; the thread's producer reports
 * its commits ({@link DatabaseCommittingProducer}), its tasks ask.
 */
public final class CommitPacer {

    private record Last(long startNanos, long endNanos) {
    }

    private final boolean enabled;
    private final ThreadLocal<Last> last = ThreadLocal.withInitial(() -> new Last(0, 0));

    private CommitPacer(boolean enabled) {
        this.enabled = enabled;
    }

    /** @param enabled false: no record asks, commits come at the interval only */
    public static CommitPacer of(boolean enabled) {
        return new CommitPacer(enabled);
    }

    /** Whether a record processed now on this thread should ask for a commit at the end of the loop. */
    boolean due() {
        if (!enabled) {
            return false;
        }
        Last commit = last.get();
        long now = System.nanoTime();
        return now - commit.endNanos() >= commit.endNanos() - commit.startNanos();
    }

    /** This thread committed (or tried to) from {@code startNanos} until now. */
    void committed(long startNanos) {
        last.set(new Last(startNanos, System.nanoTime()));
    }
}
