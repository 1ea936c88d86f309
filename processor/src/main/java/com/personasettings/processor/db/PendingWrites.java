package com.personasettings.processor.db;

import com.personasettings.processor.Retry;

import java.time.Duration;
import java.util.function.Consumer;

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
 * <p>This relies on Kafka Streams processing and committing on the same thread, which holds unless its
 * internal, experimental {@code __processing.threads.enabled__} mode is switched on.
 */
public final class PendingWrites {

    private final ThreadLocal<WriteBatch> pending = ThreadLocal.withInitial(WriteBatch::new);
    private final Consumer<WriteBatch> writer;
    private final Duration retryFor;

    /**
     * @param writer   writes a batch in one transaction (normally {@link Repository#write})
     * @param retryFor how long a commit keeps retrying an unreachable database before giving up; must stay
     *                 below the producer's transaction timeout
     */
    public PendingWrites(Consumer<WriteBatch> writer, Duration retryFor) {
        this.writer = writer;
        this.retryFor = retryFor;
    }

    /** The batch of the calling stream thread's open transaction. */
    public WriteBatch current() {
        return pending.get();
    }

    /**
     * Writes the calling thread's batch, retrying with backoff while the database is unreachable.
     *
     * @throws DatabaseWriteFailedException when it still fails after {@code retryFor}, or at once when the
     *                                      failure is not transient; the batch is kept so the caller may
     *                                      abort (and {@link #discard()}) or try again
     */
    public void commit() {
        WriteBatch batch = pending.get();
        if (batch.isEmpty()) {
            return;
        }
        try {
            Retry.withBackoff("Writing " + batch.size() + " outcomes to PostgreSQL", retryFor, DatabaseErrors::isTransient, () -> {
                writer.accept(batch);
                return null;
            });
        } catch (RuntimeException e) {
            throw new DatabaseWriteFailedException(DatabaseErrors.isTransient(e)
                    ? "PostgreSQL stayed unavailable for " + retryFor + "; " + batch.size() + " outcomes not written"
                    : "PostgreSQL refused " + batch.size() + " outcomes (not retried): " + e.getMessage(), e);
        }
        batch.clear();
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
