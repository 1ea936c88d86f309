package com.personasettings.torture;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.personasettings.client.SentCommand;
import com.personasettings.gateway.admin.Operator;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The org the load runs in, set up the way a customer's would be: numbers provisioned by the operator (commands on
 * the log, whose ids the ledger keeps), personas created and numbers attached through the HTTP API (keyed
 * requests, in the request log like the load's).
 *
 * <p>Most numbers stay on one persona ({@code i % personas}); the last {@code movers} numbers start on persona 0 or
 * 1 and are moved between those two by the load's attach requests.
 *
 * @param provisionIds the command ids of the provisioning commands
 */
record Setup(UUID org, String apiKey, List<String> personas, List<String> numbers, int movers, Set<UUID> provisionIds) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ATTACH_LIMIT = 100;
    private static final Duration ATTACHED_TIMEOUT = Duration.ofMinutes(3);

    /** Creates the org and its key; numbers and personas follow in {@link #populate}. */
    static Setup org(Operator operator) {
        UUID org = operator.createOrg("torture " + java.time.Instant.now());
        return new Setup(org, operator.createKey(org), List.of(), List.of(), 0, Set.of());
    }

    /**
     * Provisions {@code numberCount} numbers, creates {@code personaCount} personas (at least 3) and attaches every
     * number, then waits until the processor has recorded them all attached.
     */
    Setup populate(Operator operator, Sender sender, DataSource database, AtomicLong intentIds, int numberCount,
                   int personaCount, int moverCount) throws Exception {
        if (personaCount < 3) {
            throw new IllegalArgumentException("at least 3 personas: movers move between two, a third is never theirs");
        }
        List<String> numbers = new ArrayList<>();
        List<SentCommand> provisioned = new ArrayList<>();
        for (int i = 0; i < numberCount; i++) {
            String number = String.format("+1555%07d", i);
            numbers.add(number);
            provisioned.add(operator.provision(org, number, "torture line " + i, null));
        }
        Set<UUID> provisionIds = new HashSet<>();
        for (SentCommand command : provisioned) {
            command.written().join();
            provisionIds.add(command.commandId());
        }
        List<String> personas = new ArrayList<>();
        for (int p = 0; p < personaCount; p++) {
            String body = sender.call("POST", "/v1/personas", "{\"name\": \"torture persona " + p + "\"}");
            personas.add(JSON.readTree(body).path("data").path("id").asText());
        }
        Setup setup = new Setup(org, apiKey, personas, numbers, moverCount, provisionIds);
        Await.until("the processor recording " + numberCount + " provisioned numbers", ATTACHED_TIMEOUT,
                () -> count(database, "select count(*) from inbound_numbers where org_id = ?") == numberCount);
        List<CompletableFuture<Integer>> attached = new ArrayList<>();
        for (int p = 0; p < personaCount; p++) {
            List<String> mine = new ArrayList<>();
            for (int i = 0; i < numberCount; i++) {
                if (setup.homePersona(i) == p) {
                    mine.add(numbers.get(i));
                }
            }
            for (int from = 0; from < mine.size(); from += ATTACH_LIMIT) {
                List<String> chunk = mine.subList(from, Math.min(mine.size(), from + ATTACH_LIMIT));
                String path = "/v1/personas/" + personas.get(p) + "/inbound/attach";
                long id = intentIds.incrementAndGet();
                attached.add(sender.send(new Intent(id, Intent.Kind.SETUP_ATTACH, "POST", path,
                        JSON.writeValueAsString(Map.of("inbound_numbers", chunk)), "setup-" + id, false, chunk, null,
                        0, false)));
            }
        }
        CompletableFuture.allOf(attached.toArray(CompletableFuture[]::new)).join();
        Await.until("the processor recording every number attached", ATTACHED_TIMEOUT,
                () -> count(database, "select count(*) from inbound_numbers where org_id = ? and persona_id is not null")
                        == numberCount);
        return setup;
    }

    /** Whether number {@code i} is one of the movers. */
    boolean isMover(int i) {
        return i >= numbers.size() - movers;
    }

    /** The persona number {@code i} is attached to at the start (and for good, unless it is a mover). */
    int homePersona(int i) {
        return isMover(i) ? i % 2 : i % personas.size();
    }

    private long count(DataSource database, String sql) throws Exception {
        try (var connection = database.getConnection(); var statement = connection.prepareStatement(sql)) {
            statement.setObject(1, org); // a UUID: org_id is a uuid column
            try (var rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }
}
