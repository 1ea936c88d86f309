package com.personasettings.processor.stream;

import com.personasettings.domain.Change;
import com.personasettings.domain.Command;
import com.personasettings.domain.Decider;
import com.personasettings.domain.Decision;
import com.personasettings.domain.NumberState;
import com.personasettings.domain.Outcome;
import com.personasettings.domain.RetiredPersonas;
import com.personasettings.processor.db.Rows;
import com.personasettings.processor.db.WriteBatch;

import com.personasettings.schemas.rules.FieldRules;

import java.util.List;
import java.util.Objects;

/**
 * What one command record does, the same for the live processor and for a replay: the decoded record → a command id
 * seen before (a repeat, answered with its first outcome) → a seen id reused for another number or org (refused) →
 * {@link Decider#decide} → the rows queued, the number's new state and the outcome remembered.
 *
 * <p>The callers differ only in where the numbers' state lives ({@link Numbers}: the Kafka Streams store, or a
 * replay's map) and in how a command id seen before is recognised and answered ({@link SeenIds}: the dedup window
 * store and the database's verdict, or the ids a replay has met). The command and the state cross from Avro into the
 * domain before this class (in {@link DecodedCommand} and the caller's {@link Numbers}) and back after it, each once.
 * Nothing here reads a clock or the database, so replaying a command gives the same outcome and the same rows.
 */
public final class CommandHandler {

    private CommandHandler() {
    }

    /** Each number's state, where the caller keeps it. */
    public interface Numbers {

        /** The number's state; null when it has none (never provisioned, or released). */
        NumberState get(String phoneNumber);

        /** Replaces the number's state; {@code next} is null when the number was released. */
        void put(String phoneNumber, NumberState next);

        /** Every number of the partition (a persona's retirement looks for those attached to it). */
        List<NumberState> all();
    }

    /** The personas retired in the partition, where the caller keeps them. */
    public interface Personas extends RetiredPersonas {

        void retire(String orgId, String personaId);

        /** How a retired persona is recorded where the caller keeps them: its org's and its own id. */
        static String key(String orgId, String personaId) {
            return orgId + "/" + personaId;
        }
    }

    /**
     * The command ids already seen in the partition, and what their repeats are answered with.
     *
     * @param <A> the answer: the live processor's Avro outcome; nothing in a replay, which sends no answers
     */
    public interface SeenIds<A> {

        /** Who sent the first command with this command's id and what it was answered; null when the id is new. */
        Seen<A> first(Command command);

        /** Remembers a new command's outcome as the answer to its repeats; returns the answer to send now. */
        A remember(Command command, Outcome outcome);
    }

    /** The first command with an id: its number and org (a repeat must match both) and its answer. */
    public record Seen<A>(String phoneNumber, String orgId, A answer) {
    }

    /** What became of a record. */
    public sealed interface Handled<A> {

        /** Not a command (see {@link DecodedCommand}), or a command id reused for another number or org. */
        record DeadLettered<A>(DeadLetter reason, String error) implements Handled<A> {
        }

        /** A repeat of a command already seen: answered with the first outcome; nothing changed or queued. */
        record Repeated<A>(A answer) implements Handled<A> {
        }

        /** A new command: decided, its rows queued, its number's state changed if the command changes it. */
        record Applied<A>(A answer) implements Handled<A> {
        }
    }

    /**
     * @param batch where the command's rows go, tagged with its position in the command log
     */
    public static <A> Handled<A> handle(DecodedCommand decoded, Numbers numbers, Personas personas, SeenIds<A> seen,
                                        int sourcePartition, long sourceOffset, WriteBatch batch) {
        if (decoded.rejected()) {
            return new Handled.DeadLettered<>(decoded.rejection(), decoded.error());
        }
        Command command = decoded.command();
        Seen<A> first = seen.first(command);
        if (first != null) {
            // A retry only when number and org match: answering with the first outcome would otherwise hand it to
            // whoever sent this one, perhaps another org.
            if (reusesId(first.phoneNumber(), first.orgId(), command)) {
                return new Handled.DeadLettered<>(DeadLetter.REUSED_COMMAND_ID, "command_id " + command.commandId()
                        + " already names a command for another number or org");
            }
            return new Handled.Repeated<>(first.answer());
        }

        if (command.change() instanceof Change.Retire retire) {
            return new Handled.Applied<>(seen.remember(command, retire(decoded, retire, numbers, personas,
                    sourcePartition, sourceOffset, batch)));
        }
        String phoneNumber = command.phoneNumber();
        Decision decision = Decider.decide(command, numbers.get(phoneNumber), personas);
        batch.addOutcome(Rows.outcome(command, decoded.commandType(), decision.outcome(), sourcePartition,
                sourceOffset));
        if (decision.changed()) {
            batch.changeNumber(decision.next() == null
                    ? Rows.tombstone(phoneNumber, command.issuedAt(), sourceOffset)
                    : Rows.number(decision.next(), sourceOffset), sourcePartition);
            numbers.put(phoneNumber, decision.next());
        }
        return new Handled.Applied<>(seen.remember(command, decision.outcome()));
    }

    /**
     * Detaches the persona's numbers in this partition and remembers it retired; its outcome. Its audit rows: its own
     * (no phone number, the outcome its repeats are answered with) and one per number detached, with the number after.
     */
    private static Outcome retire(DecodedCommand decoded, Change.Retire retire, Numbers numbers, Personas personas,
                                  int sourcePartition, long sourceOffset, WriteBatch batch) {
        Command command = decoded.command();
        Decider.Retirement retirement = Decider.retire(command, sourcePartition, numbers.all());
        batch.addOutcome(Rows.outcome(command, decoded.commandType(), retirement.outcome(), sourcePartition,
                sourceOffset));
        for (NumberState detached : retirement.detached()) {
            // Each number's history shows why it left the persona: a row of the retirement under its number.
            Command aboutNumber = new Command(command.commandId(), command.orgId(), command.issuedAt(), command.actor(),
                    detached.phoneNumber(), command.change());
            batch.addOutcome(Rows.outcome(aboutNumber, decoded.commandType(), Outcome.success(detached),
                    sourcePartition, sourceOffset));
            batch.changeNumber(Rows.number(detached, sourceOffset), sourcePartition);
            numbers.put(detached.phoneNumber(), detached);
        }
        if (retirement.outcome().succeeded()) {
            personas.retire(command.orgId(), retire.personaId());
        }
        return retirement.outcome();
    }

    /** Whether a command whose id was first sent for this number and org reuses the id for something else. */
    static boolean reusesId(String firstPhoneNumber, String firstOrgId, Command command) {
        return !firstPhoneNumber.equals(command.phoneNumber())
                || !Objects.equals(recordedOrg(firstOrgId), recordedOrg(command.orgId()));
    }

    /**
     * An org as PostgreSQL records it, so that the dedup store, the database and a replay agree on who sent an id:
     * the UUID, or null for an org_id that is not one. Two commands whose org_ids are not UUIDs are both refused
     * for it, with no data, so the first's answer tells the second nothing of any org.
     */
    private static String recordedOrg(String orgId) {
        return FieldRules.isLowerCaseUuid(orgId) ? orgId : null;
    }
}
