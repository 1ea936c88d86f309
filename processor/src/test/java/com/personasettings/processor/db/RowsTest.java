package com.personasettings.processor.db;

import com.personasettings.domain.ApiError;
import com.personasettings.domain.Change;
import com.personasettings.domain.Command;
import com.personasettings.domain.NumberState;
import com.personasettings.domain.Outcome;
import com.personasettings.domain.Settings;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** An outcome row holds the outcome in the contract's form, and reads back as the same outcome. */
class RowsTest {

    private static final String ORG = "01010101-0000-4000-8000-000000000001";
    private static final String PHONE = "+14155551234";
    private static final Instant AT = Instant.parse("2026-11-30T12:00:00.123Z");
    private static final Command COMMAND = new Command(UUID.fromString("00000000-0000-4000-8000-000000000007"), ORG,
            AT, "ops", PHONE, new Change.Attach("p1"));

    static List<Outcome> outcomes() {
        return List.of(
                Outcome.success(new NumberState(7, PHONE, ORG, "front desk", "p1", new Settings("pw", 3L, "n1"), AT)),
                Outcome.success(new NumberState(7, PHONE, ORG, null, null, null, AT)),
                // Settings given as an empty object are not the same as none: they stay an object.
                Outcome.success(new NumberState(7, PHONE, ORG, "l", "p1", new Settings(null, null, null), AT)),
                Outcome.success(new NumberState(7, PHONE, ORG, "l", "p1", new Settings(null, 2L, null), AT)),
                Outcome.failure(new ApiError("INBOUND_NOT_FOUND", "Inbound number not found")));
    }

    @ParameterizedTest
    @MethodSource("outcomes")
    void anOutcomeReadBackFromItsRowIsTheSameOutcome(Outcome outcome) {
        OutcomeRow row = Rows.outcome(COMMAND, "AttachToPersona", outcome, 2, 40);

        Verdict.SeenBefore seen = Rows.seenBefore(new OutcomesDao.Earlier(2, 41, row.commandId(), row.phoneNumber(),
                ORG, row.result(), row.errors()));

        assertThat(seen.outcome()).isEqualTo(outcome);
        assertThat(seen.commandId()).isEqualTo(COMMAND.commandId());
        assertThat(seen.sourceOffset()).isEqualTo(41);
        assertThat(row.succeeded()).isEqualTo(outcome.succeeded());
    }

    @Test
    void aSuccessIsStoredAsTheNumberInTheContractsFieldNames() {
        NumberState state = new NumberState(7, PHONE, ORG, "front desk", "p1", new Settings("pw", null, "n1"), AT);

        OutcomeRow row = Rows.outcome(COMMAND, "AttachToPersona", Outcome.success(state), 2, 40);

        assertThat(row.result()).isEqualTo("{\"id\":7,\"phone_number\":\"+14155551234\",\"org_id\":\"" + ORG
                + "\",\"label\":\"front desk\",\"persona_id\":\"p1\",\"persona_settings\":{\"pathway_id\":\"pw\","
                + "\"start_node_id\":\"n1\"},\"updated_at\":\"2026-11-30T12:00:00.123Z\"}");
        assertThat(row.errors()).isNull();
    }

    @Test
    void aFailureIsStoredAsItsErrors() {
        OutcomeRow row = Rows.outcome(COMMAND, "AttachToPersona",
                Outcome.failure(new ApiError("PERSONA_NOT_FOUND", "Persona not found")), 2, 40);

        assertThat(row.result()).isNull();
        assertThat(row.errors()).isEqualTo("[{\"error\":\"PERSONA_NOT_FOUND\",\"message\":\"Persona not found\"}]");
        assertThat(row.succeeded()).isFalse();
    }
}
