package com.personasettings.client;

import com.personasettings.schemas.ApiError;
import com.personasettings.schemas.CommandOutcome;
import com.personasettings.schemas.ErrorCode;
import com.personasettings.schemas.InboundNumber;
import com.personasettings.schemas.PersonaSettings;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class OutcomeTest {

    private static final UUID COMMAND = UUID.fromString("0b6f9c2e-4f7a-4d0e-9d1e-3c5a7b9e1f20");
    private static final UUID ORG = UUID.fromString("6f1c1d6e-8a3b-4c55-9c3e-2b7d9f0a1e42");
    private static final UUID PERSONA = UUID.fromString("12345678-1234-1234-1234-123456789012");
    private static final Instant AT = Instant.parse("2025-09-23T16:00:00Z");

    @Test
    void aSuccessCarriesTheNumberAfterTheCommand() {
        Outcome outcome = Outcome.of(new CommandOutcome(COMMAND, ORG.toString(), "+14155551234",
                new InboundNumber(42L, "+14155551234", ORG.toString(), "Main line", PERSONA.toString(),
                        new PersonaSettings("pathway_abc123", 2L, null), AT),
                null));

        assertThat(outcome).isEqualTo(new Outcome(COMMAND, "+14155551234", new NumberState(42, "+14155551234", ORG,
                "Main line", PERSONA, new Settings("pathway_abc123", 2L, null), AT), null));
        assertThat(outcome.succeeded()).isTrue();
    }

    @Test
    void aNumberWithoutPersonaOrSettingsHasNulls() {
        Outcome outcome = Outcome.of(new CommandOutcome(COMMAND, ORG.toString(), "+14155551234",
                new InboundNumber(7L, "+14155551234", ORG.toString(), null, null, null, AT), null));

        assertThat(outcome.number().personaId()).isNull();
        assertThat(outcome.number().settings()).isNull();
        assertThat(outcome.number().label()).isNull();
    }

    @Test
    void aRefusalCarriesTheCodeAndMessage() {
        Outcome outcome = Outcome.of(new CommandOutcome(COMMAND, ORG.toString(), "+14155559999", null,
                List.of(new ApiError("INBOUND_NOT_FOUND", ErrorCode.INBOUND_NOT_FOUND.message()))));

        assertThat(outcome.succeeded()).isFalse();
        assertThat(outcome.number()).isNull();
        assertThat(outcome.refusal().is(ErrorCode.INBOUND_NOT_FOUND)).isTrue();
        assertThat(outcome.refusal().is(ErrorCode.INVALID_REQUEST)).isFalse();
        assertThat(outcome.refusal().message()).isEqualTo("Inbound number not found or not attached to this persona");
    }

    @Test
    void aCodeThisVersionDoesNotKnowIsStillARefusal() {
        Outcome outcome = Outcome.of(new CommandOutcome(COMMAND, ORG.toString(), "+14155559999", null,
                List.of(new ApiError("LABEL_TAKEN", "a newer processor's code"))));

        assertThat(outcome.succeeded()).isFalse();
        assertThat(outcome.refusal().code()).isEqualTo("LABEL_TAKEN");
    }

    @Test
    void anOutcomeWithNeitherDataNorErrorsIsNoSuccess() {
        Outcome outcome = Outcome.of(new CommandOutcome(COMMAND, ORG.toString(), "+14155551234", null, null));

        assertThat(outcome.succeeded()).isFalse();
        assertThat(outcome.refusal().is(ErrorCode.INTERNAL_ERROR)).isTrue();
    }
}
