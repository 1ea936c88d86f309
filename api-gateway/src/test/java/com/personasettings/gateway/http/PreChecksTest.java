package com.personasettings.gateway.http;

import com.personasettings.domain.ApiError;
import com.personasettings.domain.Change;
import com.personasettings.domain.Decision;
import com.personasettings.gateway.auth.Caller;
import com.personasettings.gateway.db.NumbersReadDao.RecordedNumber;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The gateway's pre-checks are the Decider's answers on the numbers as recorded. */
class PreChecksTest {

    private static final UUID ORG = UUID.fromString("01010101-0000-4000-8000-000000000001");
    private static final String PERSONA = "12345678-1234-1234-1234-123456789012";
    private static final String OTHER_PERSONA = "87654321-4321-4321-4321-210987654321";
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private final Caller caller = new Caller(ORG, UUID.randomUUID());
    private final List<RecordedNumber> recorded = List.of(
            new RecordedNumber("+14155550001", 1, ORG.toString(), "main", PERSONA, T0),
            new RecordedNumber("+14155550002", 2, ORG.toString(), null, OTHER_PERSONA, T0),
            new RecordedNumber("+14155550003", 3, ORG.toString(), null, null, T0),
            new RecordedNumber("+14155550004", 4, UUID.randomUUID().toString(), null, PERSONA, T0));
    private final PreChecks checks = new PreChecks(phones -> recorded.stream()
            .filter(n -> phones.contains(n.phoneNumber())).toList());

    @Test
    void anAttachIsRefusedForANumberThatIsMissingOrAnotherOrgsWithBlandsError() {
        List<String> phones = List.of("+14155550001", "+14155550002", "+14155550003", "+14155550004", "+14155559999");

        Map<String, Decision> decisions = checks.decide(caller, phones, new Change.Attach(PERSONA));

        assertThat(decisions.keySet()).containsExactlyElementsOf(phones);
        assertThat(decisions.get("+14155550001").outcome().succeeded()).isTrue();
        assertThat(decisions.get("+14155550002").changed()).as("moves from the other persona").isTrue();
        assertThat(decisions.get("+14155550003").changed()).isTrue();
        ApiError refused = new ApiError("INVALID_INBOUND_NUMBERS", "Some phone numbers were not found or do not belong to you");
        assertThat(decisions.get("+14155550004").outcome().errors()).containsExactly(refused);
        assertThat(decisions.get("+14155559999").outcome().errors()).containsExactly(refused);
    }

    @Test
    void aDetachChangesOnlyTheCallersNumbersAttachedToThePersona() {
        List<String> phones = List.of("+14155550001", "+14155550002", "+14155550003", "+14155550004", "+14155559999");

        Map<String, Decision> decisions = checks.decide(caller, phones, new Change.Detach(PERSONA));

        assertThat(decisions.entrySet().stream().filter(e -> e.getValue().changed()).map(Map.Entry::getKey))
                .containsExactly("+14155550001");
    }
}
