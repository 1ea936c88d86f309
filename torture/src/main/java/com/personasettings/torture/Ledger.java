package com.personasettings.torture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.personasettings.processor.db.Rows;
import com.personasettings.torture.LedgerData.LoggedCommand;
import com.personasettings.torture.LedgerData.NumberRow;
import com.personasettings.torture.LedgerData.OutcomeRow;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Checks the client's record of a run (every request and every send, with its answer) against the system's
 * (outcome rows, number rows, the command log, the outcome log, a replay), rule by rule ({@link Rule}).
 *
 * <p>A synchronous 200 names no command id. A request's outcome rows are found by the ids it is known to have
 * produced: those derived from its {@code Idempotency-Key} ({@link CommandIds}) and those its 202s name; and by
 * the token its body carries as {@code pathway_id}, which the command's row keeps. A row found by neither belongs
 * to no request: invented.
 *
 * <p>"Exactly one effect": a command id has one row per number (the table's key), so a second effect could only
 * hide as a record processed again as if new. That shows three ways: the row would belong to a later record of the
 * id than its first on the log ({@link Rule#FIRST_RECORD}); the outcome log would hold another outcome for the id,
 * different from the first ({@link Rule#OUTCOME_LOG}); the number's row would hold a state written by a record no
 * row accounts for ({@link Rule#STATE}). And a replay of the log, which applies each id once, would differ
 * ({@link Rule#REPLAY}).
 */
final class Ledger {

    static final String SETUP = "setup";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Violations kept per rule in the report; the count covers all of them. */
    static final int SHOWN_PER_RULE = 10;

    record Violation(Rule rule, String phase, String detail) {
    }

    /** What {@code replay --verify} printed, and its exit status (0: identical). */
    record ReplayResult(int status, List<String> lines) {
    }

    /** The client's side: the org, the setup's commands, every request with its sends, and the phases. */
    record Requests(UUID org, Set<UUID> setupCommands, List<Intent> intents, Map<Long, List<Attempt>> attempts,
                    List<Phase> phases) {
    }

    private final Requests requests;
    private final LedgerData data;
    private final List<Violation> violations = new ArrayList<>();
    private final Map<Rule, Long> checked = new EnumMap<>(Rule.class);
    private final Map<String, PhaseCounts> counts = new LinkedHashMap<>();
    private final Map<UUID, List<OutcomeRow>> rowsById;
    private final Map<String, List<OutcomeRow>> rowsByToken;
    private final Set<OutcomeRow> claimed = new HashSet<>();
    private final Set<UUID> knownIds = new HashSet<>();

    private Ledger(Requests requests, LedgerData data) {
        this.requests = requests;
        this.data = data;
        this.rowsById = data.rows().stream().collect(Collectors.groupingBy(OutcomeRow::commandId));
        this.rowsByToken = data.rows().stream().filter(r -> r.token() != null)
                .collect(Collectors.groupingBy(OutcomeRow::token));
        counts.put(SETUP, PhaseCounts.empty(SETUP));
        requests.phases().forEach(p -> counts.put(p.name(), PhaseCounts.empty(p.name())));
        for (Rule rule : Rule.values()) {
            checked.put(rule, 0L);
        }
    }

    static LedgerReport check(Requests requests, LedgerData data, ReplayResult replay) {
        Ledger ledger = new Ledger(requests, data);
        for (Intent intent : requests.intents()) {
            ledger.checkRequest(intent, requests.attempts().getOrDefault(intent.id(), List.of()));
        }
        ledger.checkNothingInvented();
        ledger.checkFirstRecords();
        ledger.checkOutcomeLog();
        ledger.checkStates();
        ledger.checkDeadLetters();
        ledger.checkReplay(replay);
        return new LedgerReport(new ArrayList<>(ledger.counts.values()), ledger.checked, ledger.violations,
                replay.lines());
    }

    private void checkRequest(Intent intent, List<Attempt> attempts) {
        String phase = attempts.isEmpty() ? SETUP : phaseOf(attempts.get(0).sentAt());
        attempts.forEach(a -> counts.computeIfPresent(phaseOf(a.sentAt()), (name, c) -> c.plus(a)));
        List<UUID> derived = intent.keyed() ? CommandIds.of(requests.org().toString(), intent) : List.of();
        knownIds.addAll(derived);
        List<List<UUID>> named = new ArrayList<>();
        Map<String, UUID> queued = new HashMap<>();
        for (Attempt attempt : attempts) {
            if (attempt.status() == 202) {
                List<UUID> ids = commandIds(attempt.body());
                named.add(ids);
                knownIds.addAll(ids);
            } else if (attempt.status() == 503) {
                queued.putAll(queuedIds(attempt.body()));
                knownIds.addAll(queued.values());
            }
        }
        // Per command the request produced (one per number): the rows found for it, whichever way.
        List<List<OutcomeRow>> slots = new ArrayList<>();
        for (int i = 0; i < intent.phones().size(); i++) {
            Set<OutcomeRow> rows = new LinkedHashSet<>();
            if (intent.keyed()) {
                rows.addAll(rowsById.getOrDefault(derived.get(i), List.of()));
            }
            for (List<UUID> ids : named) {
                if (i < ids.size()) {
                    rows.addAll(rowsById.getOrDefault(ids.get(i), List.of()));
                }
            }
            if (intent.token() != null) {
                rows.addAll(rowsByToken.getOrDefault(intent.token(), List.of()));
            }
            UUID queuedId = queued.get(intent.phones().get(i));
            if (queuedId != null) {
                rows.addAll(rowsById.getOrDefault(queuedId, List.of()));
            }
            rows.forEach(r -> knownIds.add(r.commandId()));
            claimed.addAll(rows);
            slots.add(new ArrayList<>(rows));
        }

        boolean acknowledged = attempts.stream().anyMatch(Attempt::acknowledged);
        boolean lost = false;
        boolean duplicated = false;
        for (int i = 0; i < slots.size(); i++) {
            List<OutcomeRow> rows = slots.get(i);
            count(Rule.DUPLICATED);
            if (rows.size() > 1) {
                duplicated = true;
                violation(Rule.DUPLICATED, phase, describe(intent) + ": " + rows.size() + " outcome rows for "
                        + intent.phones().get(i) + ": " + rows.stream().map(Ledger::describe).toList());
            }
            boolean promised = acknowledged || queued.containsKey(intent.phones().get(i));
            if (promised) {
                count(Rule.LOST);
                if (rows.isEmpty()) {
                    lost = true;
                    violation(Rule.LOST, phase, describe(intent) + " was answered " + statuses(attempts)
                            + " but no outcome row exists for " + intent.phones().get(i)
                            + (intent.keyed() ? " (command " + derived.get(i) + ")" : ""));
                }
            }
        }
        boolean applied = slots.stream().anyMatch(rows -> !rows.isEmpty());
        boolean answered = attempts.stream().anyMatch(a -> a.acknowledged() || (a.status() >= 400 && a.status() < 500));
        PhaseCounts before = counts.get(phase);
        if (before != null) {
            counts.put(phase, before.plusRequest(applied && !answered, lost, duplicated));
        }
        for (Attempt attempt : attempts) {
            checkAnswer(intent, attempt, slots, derived, phase);
            if (attempt.status() == 503) {
                checkUnavailable(intent, attempt, slots);
            }
        }
    }

    /**
     * A 503 whose own command was processed all the same: the row's {@code issued_at}, stamped by the gateway
     * when it took the request, falls within this send (same clock). Counted; and a violation when the 503 names
     * no command as queued or unconfirmed, which says nothing was published.
     */
    private void checkUnavailable(Intent intent, Attempt attempt, List<List<OutcomeRow>> slots) {
        List<OutcomeRow> own = slots.stream().flatMap(List::stream)
                .filter(r -> r.issuedAt().toEpochMilli() >= attempt.sentAt() && r.issuedAt().toEpochMilli() <= attempt.endedAt())
                .toList();
        if (own.isEmpty()) {
            return;
        }
        counts.computeIfPresent(phaseOf(attempt.sentAt()), (name, c) -> c.plusUnavailableApplied());
        JsonNode details = parse(attempt.body()).path("errors").path(0).path("details");
        if (details.path("queued").isEmpty() && details.path("not_confirmed").isEmpty()) {
            violation(Rule.SERVER_ERRORS, phaseOf(attempt.sentAt()), describe(intent) + " answered 503 naming no"
                    + " command (nothing published: " + attempt.body() + ") but its command was processed: "
                    + own.stream().map(Ledger::describe).toList());
        }
    }

    private void checkAnswer(Intent intent, Attempt attempt, List<List<OutcomeRow>> slots, List<UUID> derived,
                             String phase) {
        if (!attempt.answered()) {
            return;
        }
        int status = attempt.status();
        if (status >= 500) {
            count(Rule.SERVER_ERRORS);
            if (status != 503) {
                violation(Rule.SERVER_ERRORS, phaseOf(attempt.sentAt()), describe(intent) + " answered " + status
                        + ": " + attempt.body());
            } else if (!isErrorEnvelope(attempt.body())) {
                violation(Rule.SERVER_ERRORS, phase, describe(intent) + " answered 503 without Bland's envelope: "
                        + attempt.body());
            }
        } else if (status == 202) {
            checkAccepted(intent, attempt, slots, derived, phase);
        } else if (!intent.async() && (status == 200 || status == 400 || status == 404 || status == 409)) {
            if (intent.kind() == Intent.Kind.ATTACH || intent.kind() == Intent.Kind.SETUP_ATTACH) {
                checkAttachAnswer(intent, attempt, slots, phase);
            } else {
                checkPatchAnswer(intent, attempt, slots.get(0), phase);
            }
        }
    }

    /** A PATCH answered synchronously: the body is the stored outcome as Bland answers it, whoever answered (a repeat too). */
    private void checkPatchAnswer(Intent intent, Attempt attempt, List<OutcomeRow> rows, String phase) {
        if (rows.size() != 1) {
            return; // lost or duplicated: reported as such; none and a 4xx: decided by the gateway, never sent
        }
        count(Rule.BODY);
        JsonNode body = parse(attempt.body());
        if (!rows.get(0).answeredBy(body)) {
            violation(Rule.BODY, phase, describe(intent) + " answered " + attempt.status() + " " + attempt.body()
                    + " but its stored outcome is " + rows.get(0).outcome());
        }
    }

    /**
     * An attach answered synchronously. Its 200 shows the persona as read after the outcomes arrived (legitimately
     * newer than any one outcome), so only what it claims is checked: every command succeeded. A 4xx is the
     * envelope of a command that failed.
     */
    private void checkAttachAnswer(Intent intent, Attempt attempt, List<List<OutcomeRow>> slots, String phase) {
        if (slots.stream().anyMatch(rows -> rows.size() != 1)) {
            return;
        }
        count(Rule.BODY);
        List<OutcomeRow> failed = slots.stream().map(rows -> rows.get(0)).filter(r -> !r.succeeded()).toList();
        if (attempt.status() == 200 && !failed.isEmpty()) {
            violation(Rule.BODY, phase, describe(intent) + " answered 200 but " + failed.size()
                    + " of its commands failed: " + failed.stream().map(Ledger::describe).toList());
        } else if (attempt.status() != 200) {
            JsonNode body = parse(attempt.body());
            if (failed.stream().noneMatch(r -> r.answeredBy(body))) {
                violation(Rule.BODY, phase, describe(intent) + " answered " + attempt.status() + " " + attempt.body()
                        + " but no failed command of it has that outcome");
            }
        }
    }

    private void checkAccepted(Intent intent, Attempt attempt, List<List<OutcomeRow>> slots, List<UUID> derived,
                               String phase) {
        count(Rule.IDS);
        List<UUID> ids = commandIds(attempt.body());
        if (ids.size() != intent.phones().size()) {
            violation(Rule.IDS, phase, describe(intent) + " answered 202 naming " + ids + " for "
                    + intent.phones().size() + " numbers: " + attempt.body());
            return;
        }
        String requestId = parse(attempt.body()).path("data").path("request_id").asText();
        if (requestId.isEmpty() || !("/v1/requests/" + requestId).equals(attempt.location())) {
            violation(Rule.IDS, phase, describe(intent) + " answered 202 with Location " + attempt.location()
                    + " for request " + requestId + ": " + attempt.body());
        }
        if (intent.keyed() && !ids.equals(derived)) {
            violation(Rule.IDS, phase, describe(intent) + " answered 202 naming " + ids + " but its Idempotency-Key"
                    + " gives " + derived + " (does the gateway still derive ids from (org, key, method and path,"
                    + " number)?)");
        }
        for (int i = 0; i < ids.size(); i++) {
            for (OutcomeRow row : slots.get(i)) {
                if (!row.commandId().equals(ids.get(i))) {
                    violation(Rule.IDS, phase, describe(intent) + " answered 202 naming " + ids.get(i) + " for "
                            + intent.phones().get(i) + " but its row is " + describe(row));
                }
            }
        }
    }

    private void checkNothingInvented() {
        for (OutcomeRow row : data.rows()) {
            count(Rule.INVENTED);
            if (!claimed.contains(row) && !requests.setupCommands().contains(row.commandId())) {
                violation(Rule.INVENTED, "-", "outcome row of no request: " + describe(row) + " " + row.command());
            }
        }
        for (LoggedCommand command : data.log()) {
            count(Rule.INVENTED);
            if (!knownIds.contains(command.commandId()) && !requests.setupCommands().contains(command.commandId())) {
                violation(Rule.INVENTED, "-", "command on the log that no request sent: " + command);
            }
        }
    }

    private void checkFirstRecords() {
        Map<UUID, List<LoggedCommand>> log = logById();
        for (OutcomeRow row : data.rows()) {
            count(Rule.FIRST_RECORD);
            List<LoggedCommand> records = log.getOrDefault(row.commandId(), List.of()).stream()
                    .filter(c -> c.partition() == row.partition()).toList();
            if (records.isEmpty()) {
                violation(Rule.FIRST_RECORD, "-", "outcome row without a record on the log: " + describe(row));
            } else if (records.get(0).offset() != row.offset()) {
                violation(Rule.FIRST_RECORD, "-", describe(row) + " was written for offset " + row.offset()
                        + " but the id's first record is at " + records.get(0).offset() + " (records at "
                        + records.stream().map(LoggedCommand::offset).toList() + ")");
            }
        }
    }

    private void checkOutcomeLog() {
        Map<UUID, List<LoggedCommand>> log = logById();
        for (Map.Entry<UUID, List<LoggedCommand>> entry : log.entrySet()) {
            count(Rule.OUTCOME_LOG);
            List<String> outcomes = data.outcomes().getOrDefault(entry.getKey(), List.of());
            int records = entry.getValue().size();
            if (outcomes.size() != records) {
                violation(Rule.OUTCOME_LOG, "-", "command " + entry.getKey() + " has " + records + " record(s) on the"
                        + " log but " + outcomes.size() + " committed outcome(s)"
                        + (outcomes.size() > records ? ": processed more than once" : ": an outcome is missing"));
            }
            if (new HashSet<>(outcomes).size() > 1) {
                violation(Rule.OUTCOME_LOG, "-", "command " + entry.getKey() + " has different outcomes: " + outcomes);
            }
        }
        for (UUID id : data.outcomes().keySet()) {
            if (!log.containsKey(id)) {
                violation(Rule.OUTCOME_LOG, "-", "outcome for command " + id + ", which is not on the log");
            }
        }
    }

    /** Each number's row against the fold of its successful outcomes in log order. */
    private void checkStates() {
        Map<String, List<OutcomeRow>> byNumber = data.rows().stream()
                .sorted(Comparator.comparingInt(OutcomeRow::partition).thenComparingLong(OutcomeRow::offset))
                .collect(Collectors.groupingBy(OutcomeRow::phone, LinkedHashMap::new, Collectors.toList()));
        byNumber.forEach((phone, rows) -> {
            JsonNode state = null;
            long changedAt = -1;
            for (OutcomeRow row : rows) {
                JsonNode after = row.result();
                if (row.succeeded() && !after.equals(state)) {
                    state = after;
                    changedAt = row.offset();
                }
            }
            if (state == null) {
                return;
            }
            count(Rule.STATE);
            NumberRow number = data.numbers().get(phone);
            String problem = number == null ? "no row" : difference(number, state, changedAt);
            if (problem != null) {
                violation(Rule.STATE, "-", phone + ": " + problem);
            }
        });
    }

    private static String difference(NumberRow number, JsonNode state, long changedAt) {
        if (number.released()) {
            return "released, but its last outcome shows it " + state;
        }
        JsonNode settings = number.settings() == null ? NullNode.getInstance() : number.settings();
        String personaId = state.path("persona_id").isNull() ? null : state.path("persona_id").asText();
        if (!Objects.equals(number.id(), state.path("id").asLong())
                || !Objects.equals(number.personaId(), personaId)
                || !settings.equals(state.path("persona_settings"))
                || !Rows.timestamp(number.updatedAt()).equals(state.path("updated_at").asText())) {
            return "holds " + number + " but its last successful outcome is " + state;
        }
        if (number.offset() != changedAt) {
            return "was last written by offset " + number.offset() + " but its last change is at " + changedAt;
        }
        return null;
    }

    private void checkDeadLetters() {
        count(Rule.DEAD_LETTERS);
        if (data.deadLetters() > 0 || data.undecodable() > 0) {
            violation(Rule.DEAD_LETTERS, "-", data.deadLetters() + " dead letter(s), " + data.undecodable()
                    + " undecodable command record(s)");
        }
    }

    private void checkReplay(ReplayResult replay) {
        count(Rule.REPLAY);
        if (replay.status() != 0) {
            List<String> different = replay.lines().stream().filter(l -> l.startsWith("DIFFERENT")).limit(5).toList();
            violation(Rule.REPLAY, "-", "replay --verify exited " + replay.status() + ": "
                    + (different.isEmpty() ? replay.lines() : different));
        }
    }

    private Map<UUID, List<LoggedCommand>> logById() {
        return data.log().stream()
                .sorted(Comparator.comparingInt(LoggedCommand::partition).thenComparingLong(LoggedCommand::offset))
                .collect(Collectors.groupingBy(LoggedCommand::commandId, HashMap::new, Collectors.toList()));
    }

    /** The phase a send belongs to: before the first phase, the setup; after the last, the last. */
    private String phaseOf(long time) {
        List<Phase> phases = requests.phases();
        if (phases.isEmpty() || time < phases.get(0).start()) {
            return SETUP;
        }
        for (Phase phase : phases) {
            if (phase.contains(time)) {
                return phase.name();
            }
        }
        return phases.get(phases.size() - 1).name();
    }

    private void count(Rule rule) {
        checked.merge(rule, 1L, Long::sum);
    }

    private void violation(Rule rule, String phase, String detail) {
        violations.add(new Violation(rule, phase, detail));
    }

    /** The ids a 202 body names ({@code data.command_ids}); empty when it names none. */
    private static List<UUID> commandIds(String body) {
        List<UUID> ids = new ArrayList<>();
        JsonNode named = parse(body).path("data").path("command_ids");
        for (JsonNode id : named) {
            try {
                ids.add(UUID.fromString(id.asText()));
            } catch (IllegalArgumentException notAnId) {
                return List.of();
            }
        }
        return ids;
    }

    /**
     * Phone number → command id of the commands a 503 says were queued ({@code errors[0].details.queued}, as the
     * gateway words a publish that was only partly confirmed); empty when it names none.
     */
    private static Map<String, UUID> queuedIds(String body) {
        Map<String, UUID> queued = new HashMap<>();
        for (JsonNode entry : parse(body).path("errors").path(0).path("details").path("queued")) {
            try {
                queued.put(entry.path("phone_number").asText(), UUID.fromString(entry.path("command_id").asText()));
            } catch (IllegalArgumentException notAnId) {
                // not a queued command we can check
            }
        }
        return queued;
    }

    private static boolean isErrorEnvelope(String body) {
        JsonNode envelope = parse(body);
        return envelope.has("data") && envelope.get("data").isNull() && envelope.path("errors").isArray()
                && envelope.path("errors").path(0).path("error").isTextual();
    }

    private static JsonNode parse(String body) {
        try {
            return body == null ? NullNode.getInstance() : JSON.readTree(body);
        } catch (Exception notJson) {
            return JSON.getNodeFactory().textNode(body);
        }
    }

    private static String statuses(List<Attempt> attempts) {
        return attempts.stream().map(a -> a.answered() ? Integer.toString(a.status()) : a.failure()).toList().toString();
    }

    private static String describe(Intent intent) {
        return "request " + intent.id() + " (" + intent.kind() + (intent.keyed() ? ", keyed" : "")
                + (intent.async() ? ", async" : "") + ")";
    }

    private static String describe(OutcomeRow row) {
        return row.commandId() + "@" + row.partition() + ":" + row.offset() + " " + row.commandType()
                + (row.succeeded() ? "" : " (failed)");
    }
}
