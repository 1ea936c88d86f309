package com.personasettings.processor.stream;

import com.personasettings.processor.db.Rows;
import com.personasettings.processor.db.WriteBatch;
import com.personasettings.processor.domain.Command;
import com.personasettings.processor.domain.Decider;
import com.personasettings.processor.domain.Decision;
import com.personasettings.schemas.CommandOutcome;
import com.personasettings.schemas.InboundCommand;
import com.personasettings.schemas.InboundNumber;

/**
 * What a first-seen command does to its number, given the state before it: the outcome, the next state
 * (null when the number is released) and the rows it adds to the batch. The live processor and replay
 * both go through here; nothing in it reads a clock or the database, so replaying a command gives the same
 * outcome and the same rows.
 *
 * @param changed whether {@code next} replaces the state (a rejected command changes nothing)
 * @param next    the new state when changed, null when released (and when unchanged: nothing to convert)
 */
public record CommandStep(CommandOutcome outcome, boolean changed, InboundNumber next) {

    public static CommandStep apply(InboundCommand command, InboundNumber before, int sourcePartition,
                                    long sourceOffset, WriteBatch batch) {
        Command domainCommand = AvroMapping.toCommand(command);
        Decision decision = Decider.decide(domainCommand, AvroMapping.toState(before));
        batch.addOutcome(Rows.outcome(domainCommand, AvroMapping.commandType(command), decision.outcome(),
                sourcePartition, sourceOffset));
        if (decision.changed()) {
            batch.changeNumber(decision.next() == null
                    ? Rows.tombstone(command.getPhoneNumber(), domainCommand.issuedAt(), sourceOffset)
                    : Rows.number(decision.next(), sourceOffset), sourcePartition);
        }
        return new CommandStep(AvroMapping.toAvro(domainCommand, decision.outcome()), decision.changed(),
                decision.changed() ? AvroMapping.toAvro(decision.next()) : null);
    }
}
