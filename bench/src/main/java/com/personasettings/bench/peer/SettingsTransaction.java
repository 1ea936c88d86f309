package com.personasettings.bench.peer;

import com.personasettings.domain.Command;
import com.personasettings.domain.Decider;
import com.personasettings.domain.Decision;
import com.personasettings.domain.Outcome;
import com.personasettings.processor.db.NumberRow;
import com.personasettings.processor.db.OutcomesDao;
import com.personasettings.processor.db.Rows;
import com.personasettings.processor.stream.AvroMapping;
import com.personasettings.schemas.CommandOutcome;
import com.personasettings.schemas.InboundCommand;
import org.jdbi.v3.core.Jdbi;

import java.util.List;
import java.util.Optional;

/**
 * A settings change as one PostgreSQL transaction: lock the number's row, decide by the product's rules
 * ({@link Decider}), update the row and insert the audit row, commit. The rows are the processor's, built by its
 * {@link Rows}; the difference is where the order comes from: a row lock here, the number's partition there.
 */
final class SettingsTransaction {

    /**
     * The peer has no command log: its audit rows all name partition 0, and a number's commands are numbered one
     * after another ({@code source_offset}: seeded at 0, one more for each command recorded), so that a number's
     * history is ordered as the product's is (its index is {@code (phone_number, source_offset desc)}).
     */
    private static final int PARTITION = 0;

    private final Jdbi jdbi;

    SettingsTransaction(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * Applies the command and returns its outcome in the contract's form, as the processor would reply. A refused
     * command changes no number but is audited, as in the product (which records every command's outcome), so the
     * peer does the same work per request.
     */
    CommandOutcome apply(InboundCommand request) {
        Command command = AvroMapping.toCommand(request);
        // READ COMMITTED, set by the pool (DataSources), as the processor writes; the row lock is what serializes
        // changes to one number.
        Outcome outcome = jdbi.inTransaction(handle -> {
            LockedNumbers numbers = handle.attach(LockedNumbers.class);
            Optional<NumberRow> row = numbers.lock(command.phoneNumber());
            Decision decision = Decider.decide(command, row.map(Rows::state).orElse(null));
            OutcomesDao audit = handle.attach(OutcomesDao.class);
            if (!decision.outcome().succeeded()) {
                // Under the number's current offset: a refusal does not move its history on.
                audit.insert(List.of(Rows.outcome(command, AvroMapping.commandType(request), decision.outcome(),
                        PARTITION, row.map(NumberRow::sourceOffset).orElse(0L))));
                return decision.outcome();
            }
            // A success means the row is the caller's live number. Written even when the settings are the same
            // (the processor then leaves the row alone), to move its offset on for the next command's audit row.
            long offset = row.orElseThrow().sourceOffset() + 1;
            numbers.update(Rows.number(decision.next(), offset));
            audit.insert(List.of(Rows.outcome(command, AvroMapping.commandType(request),
                    decision.outcome(), PARTITION, offset)));
            return decision.outcome();
        });
        return AvroMapping.toAvro(command, outcome);
    }
}
