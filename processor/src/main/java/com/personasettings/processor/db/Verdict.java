package com.personasettings.processor.db;

import com.personasettings.domain.Outcome;

import java.util.UUID;

/**
 * What PostgreSQL said about the record at a position of the command log when the batch holding it could not be
 * written. The batch's Kafka transaction is then abandoned; when the record is processed again, its verdict
 * decides what it does.
 */
public sealed interface Verdict {

    int sourcePartition();

    long sourceOffset();

    /** Its rows are refused (a value a column cannot hold, a constraint): it alone is dead-lettered. */
    record Refused(int sourcePartition, long sourceOffset, String reason) implements Verdict {
    }

    /**
     * Its command id was recorded before, by an earlier record of the same partition that has left the dedup
     * window: it is a repeat (or a reuse of the id, if the number or org differ) and changes nothing.
     *
     * @param outcome the first outcome, as recorded
     */
    record SeenBefore(int sourcePartition, long sourceOffset, UUID commandId, String phoneNumber, String orgId,
                      Outcome outcome) implements Verdict {
    }
}
