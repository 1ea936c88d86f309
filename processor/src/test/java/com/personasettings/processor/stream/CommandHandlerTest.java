package com.personasettings.processor.stream;

import com.personasettings.processor.db.WriteBatch;
import com.personasettings.domain.ApiError;
import com.personasettings.domain.Change;
import com.personasettings.domain.Command;
import com.personasettings.domain.NumberState;
import com.personasettings.domain.Outcome;
import com.personasettings.processor.stream.CommandHandler.Handled;
import com.personasettings.processor.stream.CommandHandler.Seen;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The record sequence the live processor and replay share, with the state in plain maps: what {@code CommandTopologyTest}
 * (the live stores) and {@code ReplayIT} (a replay's) cover with their infrastructure.
 */
class CommandHandlerTest {

    private static final String PHONE = "+14155551234";
    private static final String OTHER_PHONE = "+14155559876";
    private static final String ORG = "01010101-0000-4000-8000-000000000001";
    private static final String OTHER_ORG = "02020202-0000-4000-8000-000000000002";
    private static final String PERSONA = "12345678-1234-1234-1234-123456789012";
    private static final String OTHER_PERSONA = "abcdefab-cdef-abcd-efab-cdefabcdefab";
    private static final Instant T0 = Instant.parse("2025-09-23T15:00:00Z");

    /** The numbers' state, as a caller keeps it. */
    private final Map<String, NumberState> states = new HashMap<>();
    /** The seen ids, answered with the domain outcome (the live processor answers with its Avro form). */
    private final Map<UUID, Seen<Outcome>> seenIds = new HashMap<>();
    private final WriteBatch batch = new WriteBatch();
    private long offset;

    private final CommandHandler.Numbers numbers = new CommandHandler.Numbers() {
        @Override
        public NumberState get(String phoneNumber) {
            return states.get(phoneNumber);
        }

        @Override
        public void put(String phoneNumber, NumberState next) {
            states.put(phoneNumber, next);
        }

        @Override
        public List<NumberState> all() {
            return states.values().stream().filter(Objects::nonNull).toList();
        }
    };

    /** The retired personas, "org/persona". */
    private final Set<String> retired = new HashSet<>();

    private final CommandHandler.Personas personas = new CommandHandler.Personas() {
        @Override
        public boolean isRetired(String orgId, String personaId) {
            return retired.contains(orgId + "/" + personaId);
        }

        @Override
        public void retire(String orgId, String personaId) {
            retired.add(orgId + "/" + personaId);
        }
    };

    private final CommandHandler.SeenIds<Outcome> seen = new CommandHandler.SeenIds<>() {
        @Override
        public Seen<Outcome> first(Command command) {
            return seenIds.get(command.commandId());
        }

        @Override
        public Outcome remember(Command command, Outcome outcome) {
            seenIds.put(command.commandId(), new Seen<>(command.phoneNumber(), command.orgId(), outcome));
            return outcome;
        }
    };

    @Test
    void aNewCommandIsDecidedQueuedStoredAndRemembered() {
        handle(command(UUID.randomUUID(), ORG, PHONE, new Change.Provision(42, "Main line"), T0));
        Command attach = command(UUID.randomUUID(), ORG, PHONE, new Change.Attach(PERSONA), T0.plusSeconds(1));

        Handled<Outcome> handled = handle(attach);

        NumberState attached = new NumberState(42, PHONE, ORG, "Main line", PERSONA, null, T0.plusSeconds(1));
        assertThat(handled).isEqualTo(new Handled.Applied<>(Outcome.success(attached)));
        assertThat(states).containsEntry(PHONE, attached);
        assertThat(seenIds).containsEntry(attach.commandId(), new Seen<>(PHONE, ORG, Outcome.success(attached)));
        assertThat(batch.outcomes()).hasSize(2).last().satisfies(row -> {
            assertThat(row.commandId()).isEqualTo(attach.commandId());
            assertThat(row.commandType()).isEqualTo("AttachToPersona");
            assertThat(row.sourceOffset()).isEqualTo(1);
            assertThat(row.succeeded()).isTrue();
        });
        assertThat(batch.numbers()).singleElement().satisfies(row -> {
            assertThat(row.personaId()).isEqualTo(PERSONA);
            assertThat(row.sourceOffset()).isEqualTo(1);
        });
    }

    @Test
    void aRefusedCommandIsQueuedAndRememberedButChangesNothing() {
        Command update = command(UUID.randomUUID(), ORG, PHONE, new Change.UpdateSettings(PERSONA, null), T0);

        Handled<Outcome> handled = handle(update);

        assertThat(handled).isEqualTo(new Handled.Applied<>(Outcome.failure(ApiError.INBOUND_NOT_FOUND)));
        assertThat(states).isEmpty();
        assertThat(batch.outcomes()).singleElement().satisfies(row -> assertThat(row.succeeded()).isFalse());
        assertThat(batch.numbers()).isEmpty();
        assertThat(seenIds).containsKey(update.commandId());
    }

    @Test
    void aRepeatedIdIsAnsweredWithTheFirstOutcomeAndChangesNothing() {
        handle(command(UUID.randomUUID(), ORG, PHONE, new Change.Provision(42, null), T0));
        Command attach = command(UUID.randomUUID(), ORG, PHONE, new Change.Attach(PERSONA), T0.plusSeconds(1));
        Outcome first = ((Handled.Applied<Outcome>) handle(attach)).answer();
        handle(command(UUID.randomUUID(), ORG, PHONE, new Change.Attach(OTHER_PERSONA), T0.plusSeconds(2)));
        NumberState now = states.get(PHONE);
        int rows = batch.outcomes().size();

        // The retry would now move the number back; it is answered as the first time instead.
        Handled<Outcome> handled = handle(attach);

        assertThat(handled).isEqualTo(new Handled.Repeated<>(first));
        assertThat(first.data().personaId()).isEqualTo(PERSONA);
        assertThat(states).containsEntry(PHONE, now);
        assertThat(batch.outcomes()).hasSize(rows);
    }

    @Test
    void anIdReusedForAnotherOrgOrNumberIsRefused() {
        UUID id = UUID.randomUUID();
        handle(command(id, ORG, PHONE, new Change.Provision(42, null), T0));
        Map<String, NumberState> before = Map.copyOf(states);
        int rows = batch.outcomes().size();

        Handled<Outcome> otherOrg = handle(command(id, OTHER_ORG, PHONE, new Change.Provision(42, null), T0));
        Handled<Outcome> otherNumber = handle(command(id, ORG, OTHER_PHONE, new Change.Provision(43, null), T0));

        String error = "command_id " + id + " already names a command for another number or org";
        assertThat(otherOrg).isEqualTo(new Handled.DeadLettered<>(DeadLetter.REUSED_COMMAND_ID, error));
        assertThat(otherNumber).isEqualTo(new Handled.DeadLettered<>(DeadLetter.REUSED_COMMAND_ID, error));
        assertThat(states).isEqualTo(before);
        assertThat(batch.outcomes()).hasSize(rows);
    }

    @Test
    void aRetirementDetachesThePersonasNumbersInItsPartitionAndLaterAttachesToItAreRefused() {
        handle(command(UUID.randomUUID(), ORG, PHONE, new Change.Provision(42, null), T0));
        handle(command(UUID.randomUUID(), ORG, OTHER_PHONE, new Change.Provision(43, null), T0));
        handle(command(UUID.randomUUID(), ORG, PHONE, new Change.Attach(PERSONA), T0));
        handle(command(UUID.randomUUID(), ORG, OTHER_PHONE, new Change.Attach(OTHER_PERSONA), T0));
        batch.clear();
        Command retire = command(UUID.randomUUID(), ORG, "", new Change.Retire(PERSONA, 3), T0.plusSeconds(5));

        Handled<Outcome> handled = handle(retire, 3);

        assertThat(handled).isEqualTo(new Handled.Applied<>(Outcome.done()));
        assertThat(states.get(PHONE).personaId()).isNull();
        assertThat(states.get(PHONE).updatedAt()).isEqualTo(T0.plusSeconds(5));
        assertThat(states.get(OTHER_PHONE).personaId()).isEqualTo(OTHER_PERSONA);
        assertThat(batch.numbers()).singleElement().satisfies(row -> {
            assertThat(row.phoneNumber()).isEqualTo(PHONE);
            assertThat(row.personaId()).isNull();
            assertThat(row.sourceOffset()).isEqualTo(4);
        });
        assertThat(batch.outcomes()).hasSize(2).allSatisfy(row -> {
            assertThat(row.commandId()).isEqualTo(retire.commandId());
            assertThat(row.commandType()).isEqualTo("RetirePersona");
            assertThat(row.succeeded()).isTrue();
        });
        assertThat(batch.outcomes().get(0).phoneNumber()).isEmpty();
        assertThat(batch.outcomes().get(0).result()).isNull();
        assertThat(batch.outcomes().get(1).phoneNumber()).isEqualTo(PHONE);
        assertThat(batch.outcomes().get(1).result()).contains("\"persona_id\":null");

        Handled<Outcome> late = handle(command(UUID.randomUUID(), ORG, PHONE, new Change.Attach(PERSONA), T0), 3);
        assertThat(late).isEqualTo(new Handled.Applied<>(Outcome.failure(ApiError.of(
                com.personasettings.schemas.ErrorCode.PERSONA_NOT_FOUND))));
        assertThat(states.get(PHONE).personaId()).isNull();
        // Another org's persona with the same id is not retired by this org's deletion.
        handle(command(UUID.randomUUID(), OTHER_ORG, "+14155550000", new Change.Provision(44, null), T0));
        assertThat(((Handled.Applied<Outcome>) handle(command(UUID.randomUUID(), OTHER_ORG, "+14155550000",
                new Change.Attach(PERSONA), T0))).answer().succeeded()).isTrue();
    }

    @Test
    void aRetirementReadFromAnotherPartitionThanItNamesIsRefusedAndChangesNothing() {
        handle(command(UUID.randomUUID(), ORG, PHONE, new Change.Provision(42, null), T0));
        handle(command(UUID.randomUUID(), ORG, PHONE, new Change.Attach(PERSONA), T0));

        Handled<Outcome> handled = handle(command(UUID.randomUUID(), ORG, "", new Change.Retire(PERSONA, 1), T0), 0);

        assertThat(((Handled.Applied<Outcome>) handled).answer().errors()).singleElement()
                .satisfies(error -> assertThat(error.message()).contains("sent to partition 0"));
        assertThat(states.get(PHONE).personaId()).isEqualTo(PERSONA);
        assertThat(retired).isEmpty();
    }

    @Test
    void aRecordThatIsNoCommandIsDeadLetteredAsDecoded() {
        DecodedCommand noKey = new DecodedCommand(null, null, DeadLetter.MISSING_KEY, "no key");

        Handled<Outcome> handled = CommandHandler.handle(noKey, numbers, personas, seen, 0, offset++, batch);

        assertThat(handled).isEqualTo(new Handled.DeadLettered<>(DeadLetter.MISSING_KEY, "no key"));
        assertThat(batch.isEmpty()).isTrue();
        assertThat(seenIds).isEmpty();
    }

    private Handled<Outcome> handle(Command command) {
        return handle(command, 0);
    }

    private Handled<Outcome> handle(Command command, int partition) {
        String type = switch (command.change().getClass().getSimpleName()) {
            case "Provision" -> "ProvisionNumber";
            case "Attach" -> "AttachToPersona";
            case "Retire" -> "RetirePersona";
            default -> "UpdatePersonaSettings";
        };
        return CommandHandler.handle(new DecodedCommand(command, type, null, null), numbers, personas, seen, partition,
                offset++, batch);
    }

    private static Command command(UUID id, String org, String phone, Change change, Instant at) {
        return new Command(id, org, at, "key_123", phone, change);
    }

    /** Orgs as PostgreSQL records them: a null org for any org_id that is not a UUID (all refused for it). */
    @Test
    void orgIdsThatAreNotUuidsAreOneAndTheSame() {
        UUID id = UUID.randomUUID();
        Command notAUuid = command(id, "acme", PHONE, new Change.Release(), T0);

        assertThat(CommandHandler.reusesId(PHONE, null, notAUuid)).isFalse();
        assertThat(CommandHandler.reusesId(PHONE, "acme", notAUuid)).isFalse();
        assertThat(CommandHandler.reusesId(PHONE, "other", notAUuid)).isFalse();
        assertThat(CommandHandler.reusesId(PHONE, ORG, notAUuid)).isTrue();
        assertThat(CommandHandler.reusesId(PHONE, null, command(id, ORG, PHONE, new Change.Release(), T0))).isTrue();
        assertThat(CommandHandler.reusesId(OTHER_PHONE, ORG, command(id, ORG, PHONE, new Change.Release(), T0)))
                .isTrue();
    }
}
