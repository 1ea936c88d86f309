package com.personasettings.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutcomeTest {

    @Test
    void successCarriesDataOnly() {
        Outcome outcome = Outcome.success(States.provisioned());

        assertThat(outcome.succeeded()).isTrue();
        assertThat(outcome.data()).isEqualTo(States.provisioned());
        assertThat(outcome.errors()).isNull();
    }

    @Test
    void failureCarriesOneErrorOnly() {
        Outcome outcome = Outcome.failure(ApiError.INBOUND_NOT_FOUND);

        assertThat(outcome.succeeded()).isFalse();
        assertThat(outcome.data()).isNull();
        assertThat(outcome.errors()).containsExactly(ApiError.INBOUND_NOT_FOUND);
    }

    @Test
    void anOutcomeHasDataOrErrorsNotBoth() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new Outcome(States.provisioned(), List.of(ApiError.INBOUND_NOT_FOUND)));
    }

    @Test
    void aCommandAboutAPersonaSucceedsWithNoNumberToShow() {
        assertThat(Outcome.done().succeeded()).isTrue();
        assertThat(Outcome.done().data()).isNull();
        assertThat(Outcome.done().errors()).isNull();
    }

    @Test
    void errorsAreCopiedAndImmutable() {
        List<ApiError> errors = new ArrayList<>(List.of(ApiError.INBOUND_NOT_FOUND));
        Outcome outcome = new Outcome(null, errors);
        errors.add(ApiError.INVALID_INBOUND_NUMBERS);

        assertThat(outcome.errors()).containsExactly(ApiError.INBOUND_NOT_FOUND);
        assertThatThrownBy(() -> outcome.errors().add(ApiError.INBOUND_NOT_FOUND))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void blandsCodesAndMessagesAreExact() {
        assertThat(ApiError.INBOUND_NOT_FOUND).isEqualTo(new ApiError("INBOUND_NOT_FOUND",
                "Inbound number not found or not attached to this persona"));
        assertThat(ApiError.INVALID_INBOUND_NUMBERS).isEqualTo(new ApiError("INVALID_INBOUND_NUMBERS",
                "Some phone numbers were not found or do not belong to you"));
        assertThat(ApiError.invalidRequest("x is required")).isEqualTo(new ApiError("INVALID_REQUEST", "x is required"));
    }
}
