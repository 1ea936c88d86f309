package com.personasettings.processor.db;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The database writes of the records processed since the last commit. Number rows are coalesced: only
 * the last state of each number in the batch is written, in the order the numbers were first touched.
 */
public final class WriteBatch {

    private final List<OutcomeRow> outcomes = new ArrayList<>();
    /** Last state of each changed number; a null value means the number was released (delete the row). */
    private final Map<String, NumberRow> numbers = new LinkedHashMap<>();

    public void addOutcome(OutcomeRow outcome) {
        outcomes.add(outcome);
    }

    /** @param row the number's new state, or null when it no longer exists */
    public void changeNumber(String phoneNumber, NumberRow row) {
        numbers.put(phoneNumber, row);
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

    public List<NumberRow> upserts() {
        return numbers.values().stream().filter(row -> row != null).toList();
    }

    public List<String> deletes() {
        return numbers.entrySet().stream().filter(e -> e.getValue() == null).map(Map.Entry::getKey).toList();
    }
}
