package com.personasettings.processor.db;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The database writes of the records processed since the last commit. Number rows are coalesced: only
 * the last state of each number in the batch is written (a tombstone when it was released), in the order the
 * numbers were first touched.
 */
public final class WriteBatch {

    /** A number's last row in the batch, and the partition of the command that wrote it. */
    public record NumberChange(NumberRow row, int sourcePartition) {
    }

    private final List<OutcomeRow> outcomes = new ArrayList<>();
    private final Map<String, NumberChange> numbers = new LinkedHashMap<>();

    public void addOutcome(OutcomeRow outcome) {
        outcomes.add(outcome);
    }

    public void changeNumber(NumberRow row, int sourcePartition) {
        numbers.put(row.phoneNumber(), new NumberChange(row, sourcePartition));
    }

    public boolean isEmpty() {
        return outcomes.isEmpty() && numbers.isEmpty();
    }

    public int size() {
        return outcomes.size();
    }

    public void clear() {
        outcomes.clear();
        numbers.clear();
    }

    public List<OutcomeRow> outcomes() {
        return outcomes;
    }

    public Collection<NumberChange> numberChanges() {
        return numbers.values();
    }

    public List<NumberRow> numbers() {
        return numbers.values().stream().map(NumberChange::row).toList();
    }
}
