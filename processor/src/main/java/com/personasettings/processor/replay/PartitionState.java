package com.personasettings.processor.replay;

import com.personasettings.processor.db.NumberRow;
import com.personasettings.processor.db.OutcomesDao.Sender;
import com.personasettings.processor.db.Repository;
import com.personasettings.processor.db.Rows;
import com.personasettings.domain.Command;
import com.personasettings.domain.NumberState;
import com.personasettings.domain.Outcome;
import com.personasettings.processor.stream.CommandHandler;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * What the live processor's stores hold for one partition, rebuilt during a replay: each number's state, and
 * who sent each command id already seen, and the personas retired. When the target database is not empty, numbers are read from it on
 * first use and the seen ids loaded up front; that database must then hold the state at the replay's start.
 * A replay sends no answers, so a seen id carries only who sent it.
 */
final class PartitionState implements CommandHandler.Numbers, CommandHandler.Personas, CommandHandler.SeenIds<Void> {

    private final int partition;
    private final long start;
    /** Where numbers not yet seen are read from; null when the target started empty. */
    private final Repository target;
    private final Map<String, NumberState> numbers = new HashMap<>();
    private final Map<UUID, Sender> senders = new HashMap<>();
    /** The personas retired in the partition, as {@link CommandHandler.Personas#key} names them. */
    private final Set<String> retired = new HashSet<>();
    /** Whether every number of the partition in the target is in {@link #numbers} (read on a retirement's first need). */
    private boolean allLoaded;

    PartitionState(int partition, long start, Repository target) {
        this.partition = partition;
        this.start = start;
        this.target = target;
    }

    static PartitionState load(Repository target, int partition, long start) {
        if (target.outcomes().anyFrom(partition, start)) {
            throw new IllegalStateException("the target database already holds outcomes of partition " + partition
                    + " at or after offset " + start + ": replay into an empty database, or into one that holds the"
                    + " state at the start offsets exactly");
        }
        PartitionState state = new PartitionState(partition, start, target);
        target.outcomes().sendersBefore(partition, start).forEach(sender ->
                state.senders.putIfAbsent(sender.commandId(), sender));
        target.outcomes().retiredBefore(partition, start).forEach(r -> state.retire(r.orgId(), r.personaId()));
        return state;
    }

    @Override
    public NumberState get(String phoneNumber) {
        if (target == null || numbers.containsKey(phoneNumber)) {
            return numbers.get(phoneNumber);
        }
        NumberState stored = target.numbers().find(phoneNumber).map(this::checked).map(Rows::state).orElse(null);
        numbers.put(phoneNumber, stored);
        return stored;
    }

    @Override
    public void put(String phoneNumber, NumberState next) {
        numbers.put(phoneNumber, next);
    }

    @Override
    public List<NumberState> all() {
        if (target != null && !allLoaded) {
            // The partition's numbers at the start: those its earlier commands were about.
            target.outcomes().numbersBefore(partition, start).forEach(this::get);
            allLoaded = true;
        }
        return numbers.values().stream().filter(Objects::nonNull).toList();
    }

    @Override
    public boolean isRetired(String orgId, String personaId) {
        return retired.contains(CommandHandler.Personas.key(orgId, personaId));
    }

    @Override
    public void retire(String orgId, String personaId) {
        retired.add(CommandHandler.Personas.key(orgId, personaId));
    }

    @Override
    public CommandHandler.Seen<Void> first(Command command) {
        Sender sender = senders.get(command.commandId());
        return sender == null ? null : new CommandHandler.Seen<>(sender.phoneNumber(), sender.orgId(), null);
    }

    @Override
    public Void remember(Command command, Outcome outcome) {
        senders.put(command.commandId(), new Sender(command.commandId(), command.phoneNumber(), command.orgId()));
        return null;
    }

    private NumberRow checked(NumberRow row) {
        if (row.sourceOffset() >= start) {
            throw new IllegalStateException("the target database holds " + row.phoneNumber() + " as changed at offset "
                    + row.sourceOffset() + " of partition " + partition + ", at or after the replay's start " + start);
        }
        return row;
    }
}
