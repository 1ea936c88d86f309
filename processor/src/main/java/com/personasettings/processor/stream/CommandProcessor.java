package com.personasettings.processor.stream;

import com.personasettings.processor.db.PendingWrites;
import com.personasettings.processor.db.Verdict;
import com.personasettings.schemas.CommandOutcome;
import com.personasettings.schemas.InboundCommand;
import com.personasettings.schemas.InboundNumber;
import com.personasettings.schemas.Topics;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * Handles one command record: decode it, load the number's state, decide, and emit the outcome, the
 * reply and the new state, and queue the database rows for the transaction's commit.
 */
final class CommandProcessor implements Processor<byte[], byte[], Object, Object> {

    private static final Logger log = LoggerFactory.getLogger(CommandProcessor.class);

    private final Deserializer<InboundCommand> commands;
    private final PendingWrites writes;
    private final ReplyPolicy replyPolicy;

    private ProcessorContext<Object, Object> context;
    private KeyValueStore<String, InboundNumber> numbers;
    /** Command id → first outcome, for the dedup window; put and looked up at wall-clock time. */
    private WindowStore<String, CommandOutcome> outcomes;
    private final long dedupWindowMs;
    private Sensor disallowedReplies;
    private Sensor missingReplyTopics;

    CommandProcessor(Deserializer<InboundCommand> commands, PendingWrites writes, ReplyPolicy replyPolicy,
                     Duration dedupWindow) {
        this.commands = commands;
        this.writes = writes;
        this.replyPolicy = replyPolicy;
        this.dedupWindowMs = dedupWindow.toMillis();
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        this.numbers = context.getStateStore(CommandTopology.NUMBERS_STORE);
        this.outcomes = context.getStateStore(CommandTopology.OUTCOMES_STORE);
        this.disallowedReplies = ProcessorMetrics.disallowedReplies(context.metrics());
        this.missingReplyTopics = ProcessorMetrics.missingReplyTopics(context.metrics());
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        RecordMetadata source = context.recordMetadata().orElseThrow();
        Optional<Verdict> verdict = writes.verdict(source.partition(), source.offset());
        if (verdict.isPresent() && verdict.get() instanceof Verdict.Refused refused) {
            // PostgreSQL refused this record's rows when it was processed before: it alone fails.
            deadLetter(record, DeadLetter.DATABASE_REFUSED, refused.reason());
            return;
        }
        DecodedCommand decoded = DecodedCommand.decode(commands, record.key(), record.value(), record.headers());
        if (decoded.rejected()) {
            deadLetter(record, decoded.rejection(), decoded.error());
            return;
        }
        InboundCommand command = decoded.command();
        String commandId = command.getCommandId().toString();
        Verdict.SeenBefore first = verdict.isPresent() && verdict.get() instanceof Verdict.SeenBefore seen
                ? seen : null;
        // The first outcome goes to this command's org: the same as the first's unless the id is reused (checked
        // next), and the recorded one is null when the first's org_id was not a UUID.
        CommandOutcome previous = first != null
                ? AvroMapping.toAvro(first.commandId(), command.getOrgId(), first.phoneNumber(), first.outcome())
                : recentOutcome(commandId);
        if (previous != null) {
            String firstOrg = first != null ? first.orgId() : previous.getOrgId();
            if (DecodedCommand.reusesId(command, previous.getPhoneNumber(), firstOrg)) {
                deadLetter(record, DeadLetter.REUSED_COMMAND_ID, DecodedCommand.reusedIdError(command));
                return;
            }
            // Seen before: answer with the first outcome and change nothing.
            emit(previous, record);
            return;
        }

        String phoneNumber = command.getPhoneNumber();
        CommandStep step = CommandStep.apply(command, numbers.get(phoneNumber), source.partition(), source.offset(),
                writes.current());
        if (step.changed()) {
            if (step.next() == null) {
                numbers.delete(phoneNumber);
            } else {
                numbers.put(phoneNumber, step.next());
            }
            context.forward(new Record<Object, Object>(phoneNumber, step.next(), record.timestamp()),
                    CommandTopology.NUMBERS_SINK);
        }
        outcomes.put(commandId, step.outcome(), context.currentSystemTimeMs());
        emit(step.outcome(), record);
    }

    /**
     * The first outcome of a command id seen within the dedup window, or null. Wall-clock time, not stream time:
     * no producer's record timestamps can age the window. Older ids are the database's to recognise (at commit).
     */
    private CommandOutcome recentOutcome(String commandId) {
        long now = context.currentSystemTimeMs();
        try (WindowStoreIterator<CommandOutcome> found = outcomes.fetch(commandId, now - dedupWindowMs, now)) {
            return found.hasNext() ? found.next().value : null;
        }
    }

    /** The outcome goes to the audit topic and, when asked for and allowed, to the caller's reply topic. */
    private void emit(CommandOutcome outcome, Record<byte[], byte[]> command) {
        String key = outcome.getPhoneNumber();
        Headers commandHeaders = command.headers();
        context.forward(new Record<Object, Object>(key, outcome, command.timestamp(), new RecordHeaders()),
                CommandTopology.OUTCOMES_SINK);

        Header replyTo = commandHeaders.lastHeader(Topics.REPLY_TO_HEADER);
        if (replyTo == null) {
            return;
        }
        String topic = replyTo.value() == null ? null : new String(replyTo.value(), StandardCharsets.UTF_8);
        if (!replyPolicy.allows(topic)) {
            disallowedReplies.record();
            log.warn("Ignoring reply-to {} of command {}: not on the allowlist {}", topic, outcome.getCommandId(), replyPolicy);
            return;
        }
        if (!replyPolicy.exists(topic)) {
            missingReplyTopics.record();
            log.warn("Ignoring reply-to {} of command {}: no such topic", topic, outcome.getCommandId());
            return;
        }
        Headers replyHeaders = new RecordHeaders().add(Topics.REPLY_TO_HEADER, replyTo.value());
        Header correlationId = commandHeaders.lastHeader(Topics.CORRELATION_ID_HEADER);
        if (correlationId != null) {
            replyHeaders.add(Topics.CORRELATION_ID_HEADER, correlationId.value());
        }
        context.forward(new Record<Object, Object>(key, outcome, command.timestamp(), replyHeaders),
                CommandTopology.REPLIES_SINK);
    }

    private void deadLetter(Record<byte[], byte[]> record, DeadLetter reason, String error) {
        RecordMetadata source = context.recordMetadata().orElseThrow();
        log.warn("Dead-lettering {}-{}@{}: {} ({})", source.topic(), source.partition(), source.offset(), reason, error);
        Headers headers = new RecordHeaders(record.headers().toArray())
                .add(Topics.DLQ_REASON_HEADER, bytes(reason.name()))
                .add(Topics.DLQ_ERROR_HEADER, bytes(error))
                .add(Topics.DLQ_TOPIC_HEADER, bytes(source.topic()))
                .add(Topics.DLQ_PARTITION_HEADER, bytes(Integer.toString(source.partition())))
                .add(Topics.DLQ_OFFSET_HEADER, bytes(Long.toString(source.offset())));
        context.forward(new Record<Object, Object>(record.key(), record.value(), record.timestamp(), headers),
                CommandTopology.DEAD_LETTER_SINK);
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
