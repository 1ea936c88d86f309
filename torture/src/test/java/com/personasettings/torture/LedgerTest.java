package com.personasettings.torture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.personasettings.torture.LedgerData.LoggedCommand;
import com.personasettings.torture.LedgerData.NumberRow;
import com.personasettings.torture.LedgerData.OutcomeRow;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Each ledger rule on a small made-up run: quiet when the books balance, and loud for each way they do not. */
class LedgerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final UUID ORG = UUID.fromString("00000000-0000-4000-8000-000000000001");
    private static final String PHONE = "+15550000000";
    private static final String PATH = "/v1/personas/p1/inbound/%2B15550000000/settings";
    private static final UUID PROVISION = UUID.fromString("00000000-0000-4000-8000-0000000000aa");
    private static final UUID UNKEYED = UUID.fromString("00000000-0000-4000-8000-0000000000bb");
    private static final UUID REQUEST = UUID.fromString("00000000-0000-4000-8000-0000000000cc");

    /** Provisioned (offset 0); request 1, unkeyed, sets pathway tk1 and gets 200 (offset 1); request 2, keyed, clears
     * asynchronously and gets 202 (offset 2). */
    private final Intent set = new Intent(1, Intent.Kind.PATCH_SET, "PATCH", PATH,
            "{\"persona_settings\": {\"pathway_id\": \"tk1\"}}", null, false, List.of(PHONE), "tk1", 0, false);
    private final Intent clear = new Intent(2, Intent.Kind.PATCH_CLEAR, "PATCH", PATH,
            "{\"persona_settings\": null}", "k2", true, List.of(PHONE), null, 1, false);
    private final UUID clearId = CommandIds.of(ORG.toString(), clear).get(0);

    /** The stored results (the contract's form: with org and label) and the body the set was answered with. */
    private final String provisioned = result(null, "null", "00");
    private final String afterSet = result("\"p1\"", "{\"pathway_id\":\"tk1\"}", "01");
    private final String afterClear = result("\"p1\"", "null", "02");
    private final String setAnswer = envelope("\"p1\"", "{\"pathway_id\":\"tk1\"}", "01");
    private static final String NOT_ATTACHED = "[{\"error\":\"INBOUND_NOT_FOUND\",\"message\":\"Inbound number not found\"}]";

    private final List<OutcomeRow> rows = new ArrayList<>(List.of(
            row(PROVISION, "ProvisionNumber", "{\"number_id\":7}", 0, provisioned),
            row(UNKEYED, "UpdatePersonaSettings", "{\"persona_id\":\"p1\",\"persona_settings\":{\"pathway_id\":\"tk1\"}}",
                    1, afterSet),
            row(clearId, "UpdatePersonaSettings", "{\"persona_id\":\"p1\",\"persona_settings\":null}", 2, afterClear)));
    private final List<LoggedCommand> log = new ArrayList<>(List.of(logged(PROVISION, 0), logged(UNKEYED, 1),
            logged(clearId, 2)));
    private final Map<UUID, List<String>> outcomes = new HashMap<>(Map.of(PROVISION, List.of("provisioned"),
            UNKEYED, List.of("set"), clearId, List.of("cleared")));
    private NumberRow number = new NumberRow(PHONE, 7L, "p1", null, Instant.parse("2026-01-01T00:00:02Z"), 2, false);
    private final Map<Long, List<Attempt>> attempts = new HashMap<>(Map.of(
            1L, List.of(answer(1, 1, 200, setAnswer, null)),
            2L, List.of(answer(2, 1, 202, "{\"data\":{\"status\":\"pending\",\"request_id\":\"" + REQUEST
                    + "\",\"command_ids\":[\"" + clearId + "\"]},\"errors\":null}", "/v1/requests/" + REQUEST))));
    private Ledger.ReplayResult replay = new Ledger.ReplayResult(0, List.of("Identical: 1 numbers and 3 outcomes."));

    @Test
    void balancedBooksPass() {
        LedgerReport report = check();
        assertThat(report.violations()).isEmpty();
        assertThat(report.checked().get(Rule.LOST)).isEqualTo(2);
        assertThat(report.checked().get(Rule.BODY)).isEqualTo(1);
        assertThat(report.checked().get(Rule.IDS)).isEqualTo(1);
        assertThat(report.phases()).extracting(PhaseCounts::phase).containsExactly(Ledger.SETUP, "baseline");
        PhaseCounts baseline = report.phases().get(1);
        assertThat(List.of(baseline.sent(), baseline.ok(), baseline.accepted(), baseline.lost())).containsExactly(2L, 1L, 1L, 0L);
    }

    @Test
    void anAcceptedCommandWithoutARowIsLost() {
        rows.remove(2);
        assertThat(rules(check())).contains(Rule.LOST);
        assertThat(check().phases().get(1).lost()).isEqualTo(1);
    }

    @Test
    void aSecondRowForOneRequestIsADuplicate() {
        UUID other = UUID.randomUUID();
        rows.add(row(other, "UpdatePersonaSettings", "{\"persona_id\":\"p1\",\"persona_settings\":{\"pathway_id\":\"tk1\"}}",
                3, afterSet));
        log.add(logged(other, 3));
        outcomes.put(other, List.of("set"));
        assertThat(rules(check())).contains(Rule.DUPLICATED);
        assertThat(check().phases().get(1).duplicated()).isEqualTo(1);
    }

    @Test
    void aSynchronousAnswerThatDiffersFromTheStoredOutcome() {
        attempts.put(1L, List.of(answer(1, 1, 200, envelope("\"p1\"", "{\"pathway_id\":\"other\"}", "01"), null)));
        assertThat(rules(check())).containsExactly(Rule.BODY);
    }

    @Test
    void aSynchronousAnswerThatShowsTheOrgOrLabelIsNotBlands() {
        attempts.put(1L, List.of(answer(1, 1, 200, setAnswer.replace("\"id\":7,", "\"id\":7,\"label\":\"front\","), null)));
        assertThat(rules(check())).containsExactly(Rule.BODY);
    }

    @Test
    void aRefusalIsAnsweredWithTheStoredErrors() {
        rows.set(1, failedRow(UNKEYED, "{\"persona_id\":\"p1\",\"persona_settings\":{\"pathway_id\":\"tk1\"}}", 1,
                NOT_ATTACHED));
        attempts.put(1L, List.of(answer(1, 1, 404, "{\"data\":null,\"errors\":" + NOT_ATTACHED + "}", null)));
        assertThat(check().violations()).isEmpty();

        attempts.put(1L, List.of(answer(1, 1, 404, "{\"data\":null,\"errors\":[{\"error\":\"INBOUND_NOT_FOUND\","
                + "\"message\":\"another message\"}]}", null)));
        assertThat(rules(check())).containsExactly(Rule.BODY);
    }

    @Test
    void aRowOrACommandNoRequestSentIsInvented() {
        UUID stranger = UUID.randomUUID();
        rows.add(row(stranger, "UpdatePersonaSettings", "{\"persona_id\":\"p1\",\"persona_settings\":null}", 3, afterClear));
        log.add(logged(stranger, 3));
        outcomes.put(stranger, List.of("cleared"));
        number = new NumberRow(PHONE, 7L, "p1", null, Instant.parse("2026-01-01T00:00:02Z"), 2, false);
        assertThat(rules(check())).containsExactly(Rule.INVENTED);
    }

    @Test
    void aRepeatProcessedAsNewShowsOnTheLogs() {
        // The keyed clear sent again (offset 3) and applied again instead of answered with its first outcome.
        log.add(logged(clearId, 3));
        outcomes.put(clearId, List.of("cleared", "cleared again"));
        rows.set(2, row(clearId, "UpdatePersonaSettings", "{\"persona_id\":\"p1\",\"persona_settings\":null}", 3, afterClear));
        number = new NumberRow(PHONE, 7L, "p1", null, Instant.parse("2026-01-01T00:00:02Z"), 3, false);
        assertThat(rules(check())).contains(Rule.FIRST_RECORD, Rule.OUTCOME_LOG);
    }

    @Test
    void aMissingOrExtraOutcomeOnTheOutcomeLog() {
        outcomes.put(UNKEYED, List.of("set", "set"));
        assertThat(rules(check())).containsExactly(Rule.OUTCOME_LOG);
        outcomes.put(UNKEYED, List.of());
        assertThat(rules(check())).containsExactly(Rule.OUTCOME_LOG);
    }

    @Test
    void aNumberThatDoesNotHoldItsLastOutcome() {
        number = new NumberRow(PHONE, 7L, "p1", JSON.createObjectNode().put("pathway_id", "tk1"),
                Instant.parse("2026-01-01T00:00:01Z"), 1, false);
        assertThat(rules(check())).containsExactly(Rule.STATE);
        number = new NumberRow(PHONE, 7L, "p1", null, Instant.parse("2026-01-01T00:00:02Z"), 5, false);
        assertThat(rules(check())).containsExactly(Rule.STATE);
    }

    @Test
    void a202NamingOtherIdsThanTheKeyGives() {
        UUID wrong = UUID.randomUUID();
        attempts.put(2L, List.of(answer(2, 1, 202, "{\"data\":{\"status\":\"pending\",\"request_id\":\"" + REQUEST
                + "\",\"command_ids\":[\"" + wrong + "\"]},\"errors\":null}", "/v1/requests/" + REQUEST)));
        assertThat(rules(check())).contains(Rule.IDS);
    }

    @Test
    void a500OrA503WithoutTheEnvelope() {
        attempts.put(1L, List.of(answer(1, 1, 500, "{\"data\":null,\"errors\":[{\"error\":\"INTERNAL_ERROR\"}]}", null),
                answer(1, 2, 200, setAnswer, null)));
        assertThat(rules(check())).containsExactly(Rule.SERVER_ERRORS);
        attempts.put(1L, List.of(answer(1, 1, 503, "<html>busy</html>", null)));
        assertThat(rules(check())).containsExactly(Rule.SERVER_ERRORS);
    }

    @Test
    void a503ThatWasNotConfirmedIsCountedWhenItsOwnCommandWasProcessed() {
        long issued = Instant.parse("2026-01-01T00:00:01Z").toEpochMilli();
        attempts.put(1L, List.of(new Attempt(1, 1, "first", 0, issued - 5, issued + 5_000, 503,
                null, "{\"data\":null,\"errors\":[{\"error\":\"SERVICE_UNAVAILABLE\",\"message\":\"may or may not\","
                + "\"details\":{\"queued\":[],\"not_confirmed\":[{\"phone_number\":\"" + PHONE + "\",\"command_id\":\""
                + UNKEYED + "\"}]}}]}", null)));
        LedgerReport report = check(new Phase("baseline", issued - 1_000, issued + 10_000, ""));
        assertThat(report.violations()).isEmpty();
        assertThat(report.phases().get(1).unavailable()).isEqualTo(1);
        assertThat(report.phases().get(1).unavailableApplied()).isEqualTo(1);
        assertThat(report.phases().get(1).appliedUnanswered()).isEqualTo(1);
    }

    @Test
    void a503ThatNamesNoCommandMustNotHaveHadItsCommandProcessed() {
        long issued = Instant.parse("2026-01-01T00:00:01Z").toEpochMilli();
        attempts.put(1L, List.of(new Attempt(1, 1, "first", 0, issued - 5, issued + 5_000, 503, null,
                "{\"data\":null,\"errors\":[{\"error\":\"SERVICE_UNAVAILABLE\",\"message\":\"nothing was changed\"}]}",
                null)));
        assertThat(rules(check(new Phase("baseline", issued - 1_000, issued + 10_000, "")))).containsExactly(Rule.SERVER_ERRORS);
        // A 503 whose send ended before the command that was processed had been issued is not its cause.
        attempts.put(1L, List.of(new Attempt(1, 1, "first", 0, issued - 5_000, issued - 4_000, 503, null,
                "{\"data\":null,\"errors\":[{\"error\":\"SERVICE_UNAVAILABLE\",\"message\":\"nothing was changed\"}]}",
                null)));
        LedgerReport report = check(new Phase("baseline", issued - 10_000, issued + 10_000, ""));
        assertThat(report.violations()).isEmpty();
        assertThat(report.phases().get(1).unavailableApplied()).isZero();
    }

    @Test
    void aCommandA503SaysWasQueuedMustBeProcessed() {
        rows.remove(1);
        log.remove(1);
        outcomes.remove(UNKEYED);
        attempts.put(1L, List.of(answer(1, 1, 503, "{\"data\":null,\"errors\":[{\"error\":\"SERVICE_UNAVAILABLE\","
                + "\"message\":\"1 of 1 commands were queued\",\"details\":{\"queued\":[{\"phone_number\":\"" + PHONE
                + "\",\"command_id\":\"" + UNKEYED + "\"}],\"not_confirmed\":[]}}]}", null)));
        number = new NumberRow(PHONE, 7L, "p1", null, Instant.parse("2026-01-01T00:00:02Z"), 2, false);
        assertThat(rules(check())).containsExactly(Rule.LOST);
    }

    @Test
    void deadLettersAndReplayDifferences() {
        replay = new Ledger.ReplayResult(1, List.of("DIFFERENT inbound_numbers +15550000000: persona_id is ..."));
        assertThat(rules(check())).containsExactly(Rule.REPLAY);
    }

    private LedgerReport check() {
        return check(new Phase("baseline", 1_000, 10_000, ""));
    }

    private LedgerReport check(Phase baseline) {
        LedgerData data = new LedgerData(rows, Map.of(PHONE, number), log, 0, outcomes, 0);
        return Ledger.check(new Ledger.Requests(ORG, Set.of(PROVISION), List.of(set, clear), attempts, List.of(baseline)),
                data, replay);
    }

    private static List<Rule> rules(LedgerReport report) {
        return report.violations().stream().map(Ledger.Violation::rule).distinct().toList();
    }

    private static Attempt answer(long intent, int number, int status, String body, String location) {
        return new Attempt(intent, number, number == 1 ? "first" : "retry", 0, 2_000 + number, 2_100 + number, status,
                null, body, location);
    }

    /** A success, {@code result} as stored. */
    private static OutcomeRow row(UUID id, String type, String command, long offset, String result) {
        return row(id, type, command, offset, true, result, "null");
    }

    private static OutcomeRow failedRow(UUID id, String command, long offset, String errors) {
        return row(id, "UpdatePersonaSettings", command, offset, false, "null", errors);
    }

    private static OutcomeRow row(UUID id, String type, String command, long offset, boolean succeeded, String result,
                                  String errors) {
        try {
            return new OutcomeRow(id, PHONE, type, Instant.parse("2026-01-01T00:00:0" + offset + "Z"),
                    JSON.readTree(command), 0, offset, succeeded, JSON.readTree(result), JSON.readTree(errors));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static LoggedCommand logged(UUID id, long offset) {
        return new LoggedCommand(id, PHONE, 0, offset);
    }

    /** The number after a command as the processor stores it: the contract's fields, org and label included. */
    private static String result(String persona, String settings, String second) {
        return "{\"id\":7,\"phone_number\":\"" + PHONE + "\",\"org_id\":\"" + ORG + "\",\"label\":\"front\","
                + "\"persona_id\":" + persona + ",\"persona_settings\":" + settings + ",\"updated_at\":\"2026-01-01T00:00:"
                + second + ".000Z\"}";
    }

    /** The same as Bland's API answers it. */
    private static String envelope(String persona, String settings, String second) {
        return "{\"data\":{\"id\":7,\"phone_number\":\"" + PHONE + "\",\"persona_id\":" + persona + ",\"persona_settings\":"
                + settings + ",\"updated_at\":\"2026-01-01T00:00:" + second + ".000Z\"},\"errors\":null}";
    }
}
