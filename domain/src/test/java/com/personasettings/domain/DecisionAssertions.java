package com.personasettings.domain;

import static org.assertj.core.api.Assertions.assertThat;

/** Assertions on a whole {@link Decision}: outcome data/errors, next state and the changed flag together. */
final class DecisionAssertions {

    static final String INBOUND_NOT_FOUND_MESSAGE = "Inbound number not found or not attached to this persona";
    static final String INVALID_INBOUND_NUMBERS_MESSAGE = "Some phone numbers were not found or do not belong to you";

    private DecisionAssertions() {
    }

    /** Failed with exactly this one error; the state before is kept and reported as unchanged. */
    static void assertFailed(Decision decision, String code, String message, NumberState before) {
        assertThat(decision.outcome().succeeded()).as("succeeded").isFalse();
        assertThat(decision.outcome().data()).as("data").isNull();
        assertThat(decision.outcome().errors()).as("errors").containsExactly(new ApiError(code, message));
        assertThat(decision.next()).as("next state").isEqualTo(before);
        assertThat(decision.changed()).as("changed").isFalse();
    }

    static void assertInvalidRequest(Decision decision, String message, NumberState before) {
        assertFailed(decision, "INVALID_REQUEST", message, before);
    }

    /** Succeeded and moved to {@code next}; the outcome's data is the new state. */
    static void assertChangedTo(Decision decision, NumberState next) {
        assertThat(decision.outcome().succeeded()).as("succeeded").isTrue();
        assertThat(decision.outcome().errors()).as("errors").isNull();
        assertThat(decision.outcome().data()).as("data").isEqualTo(next);
        assertThat(decision.next()).as("next state").isEqualTo(next);
        assertThat(decision.changed()).as("changed").isTrue();
    }

    /** Succeeded without changing anything; the outcome's data is the state as it was. */
    static void assertSucceededUnchanged(Decision decision, NumberState before) {
        assertThat(decision.outcome().succeeded()).as("succeeded").isTrue();
        assertThat(decision.outcome().errors()).as("errors").isNull();
        assertThat(decision.outcome().data()).as("data").isEqualTo(before);
        assertThat(decision.next()).as("next state").isEqualTo(before);
        assertThat(decision.changed()).as("changed").isFalse();
    }
}
