package com.personasettings.processor.db;

import java.util.List;

/** Writes a {@link WriteBatch} in one transaction; production's is {@link Repository}. */
@FunctionalInterface
public interface BatchWriter {

    void write(WriteBatch batch);

    /**
     * After {@link #write} failed because of a row: the records whose rows the database refuses. The default
     * finds none (the failure then counts as the infrastructure's, and the batch is processed again).
     */
    default List<Verdict.Refused> refused(WriteBatch batch) {
        return List.of();
    }
}
