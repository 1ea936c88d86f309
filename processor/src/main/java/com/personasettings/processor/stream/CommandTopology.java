package com.personasettings.processor.stream;

import com.personasettings.processor.db.PendingWrites;
import com.personasettings.processor.metrics.ProcessingMetrics;
import io.opentelemetry.api.trace.Tracer;
import com.personasettings.schemas.CommandOutcome;
import com.personasettings.schemas.Topics;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.TopicNameExtractor;
import org.apache.kafka.streams.state.Stores;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * The processor's topology, built without I/O; production and the TopologyTestDriver tests both call
 * {@link #build}.
 *
 * <pre>
 * persona.inbound.commands ─▶ handle-command ─┬▶ persona.inbound.outcomes   (every outcome)
 *                      [numbers]              ├▶ reply-to topic             (when asked and allowed)
 *                      [recent-outcomes]      ├▶ persona.inbound.numbers    (new state, tombstone on release)
 *                                             └▶ persona.inbound.commands.dlq
 * </pre>
 */
public final class CommandTopology {

    /**
     * Phone number → the number's current state, as the bytes of its {@code InboundNumber} in the registry's wire
     * format ({@link NumberCodec}): the values its changelog always held, now encoded once for the store and
     * {@code persona.inbound.numbers} both.
     */
    public static final String NUMBERS_STORE = "numbers";
    static final String RETIRED_PERSONAS_STORE = "retired-personas";
    /**
     * Command id → its first {@code CommandOutcome}, for the dedup window: a command seen again within it is
     * answered from here and changes nothing. A window store, so it (and its changelog, and every restore) stays
     * bounded by the window instead of growing with every command ever processed; older ids are recognised by
     * the database at commit ({@code Repository#write}). Replaces the unbounded {@code command-outcomes} store.
     */
    public static final String OUTCOMES_STORE = "recent-outcomes";

    static final String SOURCE = "commands";
    static final String PROCESSOR = "handle-command";
    static final String OUTCOMES_SINK = "outcomes";
    static final String REPLIES_SINK = "replies";
    static final String NUMBERS_SINK = "numbers-sink";
    static final String DEAD_LETTER_SINK = "dead-letters";
    static final String OPERATOR_SOURCE = "operator-commands";
    static final String OPERATOR_RELAY = "relay-operator-command";
    static final String RELAY_SINK = "relayed-commands";

    private CommandTopology() {
    }

    /**
     * @param tracer      continues each command's trace (its traceparent header) onto its outcome and reply
     * @param dedupWindow how long (in stream time: record timestamps) a command id is recognised from the state
     *                    store; after that the database recognises it, at the cost of processing its batch again
     */
    public static Topology build(TopologySerdes serdes, OperatorSignature operator, PendingWrites writes,
                                 ReplyPolicy replyPolicy, Duration dedupWindow, CommitPacer pacer,
                                 ProcessingMetrics metrics, Tracer tracer) {
        metrics.expectDeadLetters(java.util.Arrays.stream(DeadLetter.values()).map(Enum::name).toList());
        var strings = new StringSerializer();
        var bytes = new ByteArraySerializer();
        Topology topology = new Topology();
        // Values are decoded inside the processor, so a record that does not decode goes to the
        // dead-letter topic instead of stopping the task.
        topology.addSource(SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(), Topics.COMMANDS);
        topology.addProcessor(PROCESSOR,
                () -> new CommandProcessor(serdes.command().deserializer(), operator, new NumberCodec(serdes.number()),
                        writes, replyPolicy, dedupWindow, pacer, metrics, tracer), SOURCE);
        topology.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(NUMBERS_STORE), Serdes.String(), Serdes.ByteArray())
                .withCachingDisabled(), PROCESSOR);
        // The personas deleted so far (RetirePersona), which no number may be attached to any more.
        topology.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(RETIRED_PERSONAS_STORE), Serdes.String(), Serdes.ByteArray())
                .withCachingDisabled(), PROCESSOR);
        // Outcomes are put at wall-clock time and looked up over the window ending now: a window size of 1 ms,
        // kept for the window (Kafka Streams drops whole segments of it as time passes). Its changelog keeps
        // them for the window plus windowstore.changelog.additional.retention.ms; rolling a segment at least
        // hourly lets the broker delete what has left the window, so a restore reads no more than that.
        long segmentMs = Math.min(Duration.ofHours(1).toMillis(), dedupWindow.toMillis());
        topology.addStateStore(Stores.windowStoreBuilder(
                Stores.persistentWindowStore(OUTCOMES_STORE, dedupWindow, Duration.ofMillis(1), false),
                Serdes.String(), serdes.outcome())
                .withCachingDisabled()
                .withLoggingEnabled(Map.of(TopicConfig.SEGMENT_MS_CONFIG, Long.toString(segmentMs))), PROCESSOR);
        topology.addSink(OUTCOMES_SINK, Topics.OUTCOMES, strings, serdes.outcome().serializer(), PROCESSOR);
        topology.addSink(REPLIES_SINK, replyTopic(), strings, underOutcomesSubject(serdes.outcome().serializer()),
                PROCESSOR);
        topology.addSink(NUMBERS_SINK, Topics.NUMBERS, strings, bytes, PROCESSOR); // already encoded, see NumberCodec
        topology.addSink(DEAD_LETTER_SINK, Topics.COMMANDS_DLQ, bytes, bytes, PROCESSOR);

        // The operator topic's records join the commands topic, signed, and are processed there in log order.
        topology.addSource(OPERATOR_SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(), Topics.OPERATOR);
        topology.addProcessor(OPERATOR_RELAY, () -> new OperatorRelay(operator, pacer), OPERATOR_SOURCE);
        topology.addSink(RELAY_SINK, Topics.COMMANDS, bytes, bytes, OPERATOR_RELAY);
        return topology;
    }

    /**
     * Replies are outcomes, written with the outcomes topic's subject ({@code persona.inbound.outcomes-value}, which
     * the processor registers at start) rather than one subject per reply topic. Reply topics come and go with
     * gateway instances and clients; a subject each would be registered at the first reply, by whichever processors
     * answer it at that moment, and a registry that fails such concurrent registrations (the dev registry then kept
     * answering 500 for the subject) would stop every partition with a reply to send there.
     */
    private static Serializer<CommandOutcome> underOutcomesSubject(Serializer<CommandOutcome> outcomes) {
        return (replyTopic, outcome) -> outcomes.serialize(Topics.OUTCOMES, outcome);
    }

    /** Replies go to the topic named by their reply-to header, already checked against the allowlist. */
    private static <K, V> TopicNameExtractor<K, V> replyTopic() {
        return (key, value, context) -> new String(
                context.headers().lastHeader(Topics.REPLY_TO_HEADER).value(), StandardCharsets.UTF_8);
    }
}
