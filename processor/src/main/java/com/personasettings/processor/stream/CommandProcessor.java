package com.personasettings.processor.stream;

import com.personasettings.processor.db.PendingWrites;
import com.personasettings.processor.db.Verdict;
import com.personasettings.processor.metrics.ProcessingMetrics;
import com.personasettings.processor.stream.CommandHandler.Handled;
import com.personasettings.schemas.CommandOutcome;
import com.personasettings.schemas.InboundCommand;
import com.personasettings.schemas.Topics;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import com.personasettings.platform.ops.Tracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;

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
    private final OperatorSignature operator;
    private final NumberCodec numberCodec;
    private final PendingWrites writes;
    private final ReplyPolicy replyPolicy;
    private final Duration dedupWindow;
    private final CommitPacer pacer;
    private final ProcessingMetrics metrics;
    private final Tracer tracer;

    private ProcessorContext<Object, Object> context;
    /** Phone number → the number's state, as {@link NumberCodec} bytes. */
    private KeyValueStore<String, byte[]> numbers;
    private RetiredPersonaStore retiredPersonas;
    private RecentOutcomes recentOutcomes;

    CommandProcessor(Deserializer<InboundCommand> commands, OperatorSignature operator, NumberCodec numberCodec,
                     PendingWrites writes, ReplyPolicy replyPolicy, Duration dedupWindow, CommitPacer pacer,
                     ProcessingMetrics metrics, Tracer tracer) {
        this.commands = commands;
        this.operator = operator;
        this.numberCodec = numberCodec;
        this.writes = writes;
        this.replyPolicy = replyPolicy;
        this.dedupWindow = dedupWindow;
        this.pacer = pacer;
        this.metrics = metrics;
        this.tracer = tracer;
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        this.numbers = context.getStateStore(CommandTopology.NUMBERS_STORE);
        this.retiredPersonas = new RetiredPersonaStore(context.getStateStore(CommandTopology.RETIRED_PERSONAS_STORE));
        this.recentOutcomes = new RecentOutcomes(context.getStateStore(CommandTopology.OUTCOMES_STORE), context,
                dedupWindow);
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
        DecodedCommand decoded = DecodedCommand.decode(commands, operator, source.partition(), record.key(),
                record.value(), record.headers());
        // The caller's trace (the command's traceparent, if it has one) goes on through this span onto the outcome
        // and the reply.
        Span span = tracer.spanBuilder(decoded.rejected() ? "process record" : "process " + decoded.commandType())
                .setParent(Tracing.extract(record.headers(), name -> lastHeader(record.headers(), name)))
                .setSpanKind(SpanKind.CONSUMER)
                .setAttribute("messaging.destination.name", source.topic())
                .setAttribute("messaging.destination.partition.id", Integer.toString(source.partition()))
                .setAttribute("messaging.kafka.offset", source.offset())
                .startSpan();
        try {
            tagLogs(decoded, span);
            handle(record, decoded, source, seen, io.opentelemetry.context.Context.root().with(span));
        } finally {
            span.end();
            MDC.remove(Tracing.TRACE_ID);
            MDC.remove("command_id");
            MDC.remove("org_id");
            MDC.remove("phone_number");
        }
    }

    private static String lastHeader(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** Every line logged about the record names its command (with LOG_FORMAT=json, as fields of its own). */
    private static void tagLogs(DecodedCommand decoded, Span span) {
        String traceId = Tracing.traceId(span);
        if (traceId != null) {
            MDC.put(Tracing.TRACE_ID, traceId);
        }
        if (!decoded.rejected()) {
            MDC.put("command_id", decoded.command().commandId().toString());
            MDC.put("org_id", decoded.command().orgId());
            MDC.put("phone_number", decoded.command().phoneNumber());
        }
    }

    private void handle(Record<byte[], byte[]> record, DecodedCommand decoded, RecordMetadata source,
                        CommandHandler.SeenIds<CommandOutcome> seen, io.opentelemetry.context.Context trace) {
        Handled<CommandOutcome> handled = CommandHandler.handle(decoded,
                new StoredNumbers(numbers, numberCodec, context, record.timestamp()), retiredPersonas, seen,
                source.partition(), source.offset(), writes.current());
        if (handled instanceof Handled.DeadLettered<CommandOutcome> rejected) {
            deadLetter(record, rejected.reason(), rejected.error());
        } else if (handled instanceof Handled.Repeated<CommandOutcome> repeat) {
            // Seen before: answer with the first outcome; nothing changed.
            metrics.repeated();
            emit(repeat.answer(), record, trace);
        } else if (handled instanceof Handled.Applied<CommandOutcome> applied) {
            metrics.command(decoded.commandType(), outcomeOf(applied.answer()));
            emit(applied.answer(), record, trace);
        }
    }

    /** {@code success}, or the outcome's (first) error code. */
    private static String outcomeOf(CommandOutcome outcome) {
        return outcome.getErrors() == null || outcome.getErrors().isEmpty() ? "success"
                : outcome.getErrors().get(0).getError();
    }

    /** The outcome goes to the audit topic and, when asked for and allowed, to the caller's reply topic. */
    private void emit(CommandOutcome outcome, Record<byte[], byte[]> command, io.opentelemetry.context.Context trace) {
        String key = outcome.getPhoneNumber();
        Headers commandHeaders = command.headers();
        context.forward(new Record<Object, Object>(key, outcome, command.timestamp(), traced(new RecordHeaders(), trace)),
                CommandTopology.OUTCOMES_SINK);

        Header replyTo = commandHeaders.lastHeader(Topics.REPLY_TO_HEADER);
        if (replyTo == null) {
            return;
        }
        String topic = replyTo.value() == null ? null : new String(replyTo.value(), StandardCharsets.UTF_8);
        if (!replyPolicy.allows(topic)) {
            metrics.replyNotSent("disallowed");
            log.warn("Ignoring reply-to {} of command {}: not on the allowlist {}", topic, outcome.getCommandId(), replyPolicy);
            return;
        }
        if (!replyPolicy.exists(topic)) {
            metrics.replyNotSent("missing_topic");
            log.warn("Ignoring reply-to {} of command {}: no such topic", topic, outcome.getCommandId());
            return;
        }
        Headers replyHeaders = traced(new RecordHeaders(), trace).add(Topics.REPLY_TO_HEADER, replyTo.value());
        Header correlationId = commandHeaders.lastHeader(Topics.CORRELATION_ID_HEADER);
        if (correlationId != null) {
            replyHeaders.add(Topics.CORRELATION_ID_HEADER, correlationId.value());
        }
        context.forward(new Record<Object, Object>(key, outcome, command.timestamp(), replyHeaders),
                CommandTopology.REPLIES_SINK);
        if (pacer.due()) {
            // A caller waits for this reply, which it can read only once the transaction commits: ask for the commit
            // at the end of this loop instead of at the next interval (paced: see CommitPacer). The interval stays
            // the bound for everything else.
            context.commit();
        }
    }

    private static Headers traced(Headers headers, io.opentelemetry.context.Context trace) {
        Tracing.inject(trace, (name, value) -> headers.add(name, value.getBytes(StandardCharsets.UTF_8)));
        return headers;
    }

    private void deadLetter(Record<byte[], byte[]> record, DeadLetter reason, String error) {
        RecordMetadata source = context.recordMetadata().orElseThrow();
        log.warn("Dead-lettering {}-{}@{}: {} ({})", source.topic(), source.partition(), source.offset(), reason, error);
        metrics.deadLettered(reason.name());
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
