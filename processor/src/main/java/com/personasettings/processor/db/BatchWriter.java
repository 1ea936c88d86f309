package com.personasettings.processor.db;

import java.util.List;

/** Writes a {@link WriteBatch} in one transaction; production's is {@link Repository}. */
@FunctionalInterface
public interface BatchWriter {

    void write(WriteBatch batch);

    /**
     * After {@link #write} failed for a reason that is not an outage: the records whose rows the database refuses.
     * The default finds none (the failure then counts as the infrastructure's, and the batch is retried).
     */
    default List<Refusal> refused(WriteBatch batch) {
        return List.of();
    }

    /** A record of the command log whose rows the database refused, and why (SQLSTATE and message). */
    record Refusal(int sourcePartition, long sourceOffset, String reason) {
    }
}
