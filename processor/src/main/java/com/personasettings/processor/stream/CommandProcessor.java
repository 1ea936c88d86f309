package com.personasettings.processor.stream;

import com.personasettings.processor.db.PendingWrites;
import com.personasettings.processor.db.Verdict;
import com.personasettings.processor.stream.CommandHandler.Handled;
import com.personasettings.schemas.CommandOutcome;
import com.personasettings.schemas.InboundCommand;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The live processor: each command record goes through {@link CommandHandler} against the task's stores, and its
 * outcome goes to the audit topic and the caller's reply topic; a record that is no command, or that PostgreSQL
 * refused before, goes to the dead-letter topic. The database rows are queued for the transaction's commit.
 */
final class CommandProcessor implements Processor<byte[], byte[], Object, Object> {

    private static final Logger log = LoggerFactory.getLogger(CommandProcessor.class);

    private final Deserializer<InboundCommand> commands;
    private final NumberCodec numberCodec;
    private final PendingWrites writes;
    private final ReplyPolicy replyPolicy;
    private final Duration dedupWindow;

    private ProcessorContext<Object, Object> context;
    /** Phone number → the number's state, as {@link NumberCodec} bytes. */
    private KeyValueStore<String, byte[]> numbers;
    private RecentOutcomes recentOutcomes;
    private Sensor disallowedReplies;
    private Sensor missingReplyTopics;

    CommandProcessor(Deserializer<InboundCommand> commands, NumberCodec numberCodec, PendingWrites writes,
                     ReplyPolicy replyPolicy, Duration dedupWindow) {
        this.commands = commands;
        this.numberCodec = numberCodec;
        this.writes = writes;
        this.replyPolicy = replyPolicy;
        this.dedupWindow = dedupWindow;
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        this.numbers = context.getStateStore(CommandTopology.NUMBERS_STORE);
        this.recentOutcomes = new RecentOutcomes(context.getStateStore(CommandTopology.OUTCOMES_STORE), context,
                dedupWindow);
        this.disallowedReplies = ProcessorMetrics.disallowedReplies(context.metrics());
        this.missingReplyTopics = ProcessorMetrics.missingReplyTopics(context.metrics());
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        RecordMetadata source = context.recordMetadata().orElseThrow();
        Verdict verdict = writes.verdict(source.partition(), source.offset()).orElse(null);
        if (verdict instanceof Verdict.Refused refused) {
            // PostgreSQL refused this record's rows when it was processed before: it alone fails.
            deadLetter(record, DeadLetter.DATABASE_REFUSED, refused.reason());
            return;
        }
        CommandHandler.SeenIds<CommandOutcome> seen = verdict instanceof Verdict.SeenBefore recorded
                ? recentOutcomes.orFirst(recorded) : recentOutcomes;
        Handled<CommandOutcome> handled = CommandHandler.handle(
                DecodedCommand.decode(commands, record.key(), record.value(), record.headers()),
                new StoredNumbers(numbers, numberCodec, context, record.timestamp()), seen,
                source.partition(), source.offset(), writes.current());
        if (handled instanceof Handled.DeadLettered<CommandOutcome> rejected) {
            deadLetter(record, rejected.reason(), rejected.error());
        } else if (handled instanceof Handled.Repeated<CommandOutcome> repeat) {
            // Seen before: answer with the first outcome; nothing changed.
            emit(repeat.answer(), record);
        } else if (handled instanceof Handled.Applied<CommandOutcome> applied) {
            emit(applied.answer(), record);
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
