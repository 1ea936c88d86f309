package com.personasettings.processor.stream;

import com.personasettings.processor.db.Verdict;
import com.personasettings.domain.Command;
import com.personasettings.domain.Outcome;
import com.personasettings.schemas.CommandOutcome;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

import java.time.Duration;

/**
 * The live processor's seen command ids: the first outcome of each id seen within the dedup window, in the
 * "recent-outcomes" window store, put and looked up at wall-clock time (no producer's record timestamps can age
 * the window). Older ids are the database's to recognise, at commit; its verdict then answers for the record
 * when it is processed again ({@link #orFirst}).
 */
final class RecentOutcomes implements CommandHandler.SeenIds<CommandOutcome> {

    private final WindowStore<String, CommandOutcome> store;
    private final ProcessorContext<?, ?> context;
    private final long windowMs;

    RecentOutcomes(WindowStore<String, CommandOutcome> store, ProcessorContext<?, ?> context, Duration window) {
        this.store = store;
        this.context = context;
        this.windowMs = window.toMillis();
    }

    @Override
    public CommandHandler.Seen<CommandOutcome> first(Command command) {
        long now = context.currentSystemTimeMs();
        try (WindowStoreIterator<CommandOutcome> found = store.fetch(command.commandId().toString(), now - windowMs,
                now)) {
            return found.hasNext() ? seen(found.next().value) : null;
        }
    }

    /** The outcome becomes Avro here, once: what is stored is what is emitted now and to every repeat. */
    @Override
    public CommandOutcome remember(Command command, Outcome outcome) {
        CommandOutcome answer = AvroMapping.toAvro(command, outcome);
        store.put(command.commandId().toString(), answer, context.currentSystemTimeMs());
        return answer;
    }

    /** These ids, with the first command the database recorded with this record's id answering for it. */
    CommandHandler.SeenIds<CommandOutcome> orFirst(Verdict.SeenBefore recorded) {
        RecentOutcomes recent = this;
        return new CommandHandler.SeenIds<>() {
            @Override
            public CommandHandler.Seen<CommandOutcome> first(Command command) {
                if (!command.commandId().equals(recorded.commandId())) {
                    return recent.first(command);
                }
                // The first outcome goes to this command's org: the same as the first's unless the id is reused
                // (the handler checks), and the recorded one is null when the first's org_id was not a UUID.
                return new CommandHandler.Seen<>(recorded.phoneNumber(), recorded.orgId(), AvroMapping.toAvro(
                        recorded.commandId(), command.orgId(), recorded.phoneNumber(), recorded.outcome()));
            }

            @Override
            public CommandOutcome remember(Command command, Outcome outcome) {
                return recent.remember(command, outcome);
            }
        };
    }

    private static CommandHandler.Seen<CommandOutcome> seen(CommandOutcome outcome) {
        return new CommandHandler.Seen<>(outcome.getPhoneNumber(), outcome.getOrgId(), outcome);
    }
}
