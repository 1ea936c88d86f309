package com.personasettings.processor.db;

import com.personasettings.processor.Retry;
import com.personasettings.processor.metrics.ProcessingMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Database writes waiting for the Kafka transaction they belong to.
 *
 * <p>Under exactly-once v2 each stream thread owns one producer and one open transaction, and both the
 * processing of records and the commit of that transaction run on that thread. So the pending batch is
 * kept per thread: processors add to it while they handle records, and the thread's producer writes it to
 * PostgreSQL, in one database transaction, right before it commits the Kafka transaction (see
 * {@code DatabaseCommittingProducer}). Outcomes and replies sent in the Kafka transaction become visible
 * only after that commit, so no caller ever sees an outcome whose rows could still be rolled back.
 *
 * <p>Two things PostgreSQL can tell about single records make the batch impossible as it is: it refuses a
 * record's rows (a value a column cannot hold, a constraint), or a record's command id is already recorded
 * (a repeat from beyond the dedup window). Either way the {@link Verdict} is remembered by the record's position,
 * the transaction is abandoned, and when the records are processed again the verdict decides what that record
 * does ({@link #verdict}); the rest of the batch commits. Neither stops the partition.
 *
 * <p>This relies on Kafka Streams processing and committing on the same thread, which holds unless its
 * internal, experimental {@code __processing.threads.enabled__} mode is switched on.
 */
public final class PendingWrites {

    private static final Logger log = LoggerFactory.getLogger(PendingWrites.class);
    /**
     * Verdicts are forgotten beyond this many, oldest first: by then their records are committed (or their
     * partition moved to another instance, which finds them again).
     */
    private static final int MAX_REMEMBERED = 10_000;

    private final ThreadLocal<WriteBatch> pending = ThreadLocal.withInitial(WriteBatch::new);
    private final BatchWriter writer;
    private final Duration retryFor;
    private final ProcessingMetrics metrics;
    /** Position (partition, offset) of a record → its verdict. Shared by every stream thread; guarded by itself. */
    private final Map<Position, Verdict> verdicts = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Position, Verdict> eldest) {
            return size() > MAX_REMEMBERED;
        }
    };

    private record Position(int partition, long offset) {
    }

    /**
     * @param writer   writes a batch in one transaction (normally {@link Repository})
     * @param retryFor how long a commit keeps retrying an unreachable database before giving up; must stay
     *                 below the producer's transaction timeout
     */
    public PendingWrites(BatchWriter writer, Duration retryFor, ProcessingMetrics metrics) {
        this.writer = writer;
        this.retryFor = retryFor;
        this.metrics = metrics;
    }

    /** The batch of the calling stream thread's open transaction. */
    public WriteBatch current() {
        return pending.get();
    }

    /**
     * Writes the calling thread's batch, retrying with backoff while the database is unreachable.
     *
     * @throws DatabaseWriteFailedException when it still fails after {@code retryFor}, or at once when the
     *                                      failure is not transient (after remembering the verdicts on single
     *                                      records, if any); the batch is kept so the caller may abort (and
     *                                      {@link #discard()}) or try again
     */
    public void commit() {
        WriteBatch batch = pending.get();
        if (batch.isEmpty()) {
            return;
        }
        long start = System.nanoTime();
        try {
            Retry.withBackoff("Writing " + batch.size() + " outcomes to PostgreSQL", retryFor, DatabaseErrors::isTransient, () -> {
                writer.write(batch);
                return null;
            });
        } catch (Repository.CommandsSeenBeforeException e) {
            metrics.transactionAbandoned("seen_before");
            remember(e.seenBefore());
            throw new DatabaseWriteFailedException(e.getMessage() + ": processing them again as repeats", e);
        } catch (RuntimeException e) {
            if (DatabaseErrors.isTransient(e)) {
                metrics.transactionAbandoned("unavailable");
                throw new DatabaseWriteFailedException("PostgreSQL stayed unavailable for " + retryFor + "; "
                        + batch.size() + " outcomes not written", e);
            }
            metrics.transactionAbandoned("refused");
            List<Verdict.Refused> refused = DatabaseErrors.isRecordsFault(e) ? findRefused(batch) : List.of();
            throw new DatabaseWriteFailedException("PostgreSQL refused " + batch.size() + " outcomes ("
                    + DatabaseErrors.describe(e) + "); " + (refused.isEmpty() ? "no single record to blame"
                    : refused.size() + " record(s) to dead-letter when processed again: " + refused), e);
        }
        metrics.batchCommitted(batch.size(), Duration.ofNanos(System.nanoTime() - start));
        batch.clear();
    }

    /**
     * What PostgreSQL said about the record at this position when a batch holding it failed, if anything. Kept, not
     * used up: a verdict is a lasting fact about the record (its id was recorded earlier, its rows are refused), and
     * the batch may be abandoned again for another record's verdict. Used up, two records of one batch could take
     * turns: a repeat and an id reused by another org, say, each processed again without the other's verdict.
     */
    public Optional<Verdict> verdict(int partition, long offset) {
        synchronized (verdicts) {
            return Optional.ofNullable(verdicts.get(new Position(partition, offset)));
        }
    }

    private List<Verdict.Refused> findRefused(WriteBatch batch) {
        List<Verdict.Refused> refused;
        try {
            refused = writer.refused(batch);
        } catch (RuntimeException e) {
            log.warn("Could not find which records PostgreSQL refuses; the batch will be processed again", e);
            return List.of();
        }
        remember(refused);
        return refused;
    }

    private void remember(List<? extends Verdict> found) {
        synchronized (verdicts) {
            found.forEach(v -> verdicts.put(new Position(v.sourcePartition(), v.sourceOffset()), v));
        }
    }

    /** Drops the calling thread's batch: its Kafka transaction was aborted and the records will be processed again. */
    public void discard() {
        pending.get().clear();
    }

    /** The batch was not written: the database stayed unreachable past the retry budget, or refused it. */
    public static final class DatabaseWriteFailedException extends RuntimeException {
        DatabaseWriteFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
