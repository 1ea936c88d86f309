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
    /** Last change of each number: its new state, or a release. */
    private final Map<String, Object> numbers = new LinkedHashMap<>();

    public void addOutcome(OutcomeRow outcome) {
        outcomes.add(outcome);
    }

    public void changeNumber(NumberRow row) {
        numbers.put(row.phoneNumber(), row);
    }

    public void releaseNumber(String phoneNumber, long sourceOffset) {
        numbers.put(phoneNumber, new NumbersDao.Release(phoneNumber, sourceOffset));
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
        return numbers.values().stream().filter(NumberRow.class::isInstance).map(NumberRow.class::cast).toList();
    }

    public List<NumbersDao.Release> deletes() {
        return numbers.values().stream().filter(NumbersDao.Release.class::isInstance)
                .map(NumbersDao.Release.class::cast).toList();
    }
}
