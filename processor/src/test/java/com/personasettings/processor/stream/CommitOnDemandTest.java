package com.personasettings.processor.stream;

import com.personasettings.platform.ops.Tracing;
import com.personasettings.processor.ProcessorApp;
import com.personasettings.processor.TestCommands;
import com.personasettings.processor.db.PendingWrites;
import com.personasettings.processor.metrics.ProcessingMetrics;
import com.personasettings.schemas.InboundCommand;
import com.personasettings.schemas.Topics;
import com.personasettings.schemas.registry.SchemaRegistryClient;
import com.personasettings.testkit.SharedInfrastructure;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PROCESSOR_COMMIT_ON_DEMAND: a record with a caller waiting for its reply asks Kafka Streams for a commit at the end
 * of the loop, unless the thread's last commit ended less long ago than it took (CommitPacer); one nobody waits for
 * leaves the commit to the interval; switched off, no record asks.
 */
class CommitOnDemandTest {

    private static final Duration WINDOW = Duration.ofHours(1);
    private static TopologySerdes serdes;
    private final TestCommands commands = new TestCommands();
    private long offset;

    @BeforeAll
    static void registry() {
        serdes = ProcessorApp.serdes(new SchemaRegistryClient(SharedInfrastructure.registry().url()));
    }

    @Test
    void aRecordWithACallerWaitingAsksForACommitAndOneWithoutDoesNot() {
        MockProcessorContext<Object, Object> context = context();
        CommandProcessor processor = processor(CommitPacer.of(true), context);

        process(processor, context, commands.provision("+14155551234", 42), new RecordHeaders());
        assertThat(context.committed()).as("no one waits: the interval commits").isFalse();

        process(processor, context, commands.attach("+14155551234", TestCommands.PERSONA), new RecordHeaders()
                .add(Topics.REPLY_TO_HEADER, "persona.inbound.replies".getBytes(StandardCharsets.UTF_8)));
        assertThat(context.committed()).as("a caller waits").isTrue();
    }

    @Test
    void switchedOffNoRecordAsks() {
        MockProcessorContext<Object, Object> context = context();
        CommandProcessor processor = processor(CommitPacer.of(false), context);

        process(processor, context, commands.provision("+14155551234", 42), new RecordHeaders()
                .add(Topics.REPLY_TO_HEADER, "persona.inbound.replies".getBytes(StandardCharsets.UTF_8)));

        assertThat(context.forwarded()).as("the reply was sent").hasSize(3);
        assertThat(context.committed()).isFalse();
    }

    @Test
    void rightAfterALongCommitARecordLeavesItsCommitToTheLoopsThatFollow() {
        MockProcessorContext<Object, Object> context = context();
        CommitPacer pacer = CommitPacer.of(true);
        CommandProcessor processor = processor(pacer, context);
        // The thread's last commit took a second and ended just now: the next second is for processing.
        pacer.committed(System.nanoTime() - Duration.ofSeconds(1).toNanos());

        process(processor, context, commands.provision("+14155551234", 42), new RecordHeaders()
                .add(Topics.REPLY_TO_HEADER, "persona.inbound.replies".getBytes(StandardCharsets.UTF_8)));

        assertThat(context.forwarded()).as("the reply was sent").hasSize(3);
        assertThat(context.committed()).isFalse();
    }

    private void process(CommandProcessor processor, MockProcessorContext<Object, Object> context,
                         InboundCommand command, Headers headers) {
        context.resetCommit();
        context.resetForwards();
        context.setRecordMetadata(Topics.COMMANDS, 0, offset++);
        processor.process(new Record<>(command.getPhoneNumber().getBytes(StandardCharsets.UTF_8),
                serdes.command().serializer().serialize(Topics.COMMANDS, command), 0L, headers));
    }

    private static MockProcessorContext<Object, Object> context() {
        MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
        context.setCurrentSystemTimeMs(1_764_000_000_000L); // the dedup store's clock
        add(context, Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(CommandTopology.NUMBERS_STORE),
                Serdes.String(), Serdes.ByteArray()).withLoggingDisabled().build());
        add(context, Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(CommandTopology.RETIRED_PERSONAS_STORE),
                Serdes.String(), Serdes.ByteArray()).withLoggingDisabled().build());
        add(context, Stores.windowStoreBuilder(Stores.inMemoryWindowStore(CommandTopology.OUTCOMES_STORE, WINDOW,
                Duration.ofMillis(1), false), Serdes.String(), serdes.outcome()).withLoggingDisabled().build());
        return context;
    }

    @SuppressWarnings("deprecation") // MockProcessorContext initialises stores through this still
    private static void add(MockProcessorContext<Object, Object> context, StateStore store) {
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
    }

    private static CommandProcessor processor(CommitPacer pacer, MockProcessorContext<Object, Object> context) {
        ProcessingMetrics metrics = new ProcessingMetrics(new SimpleMeterRegistry());
        CommandProcessor processor = new CommandProcessor(serdes.command().deserializer(), OperatorSignature.none(),
                new NumberCodec(serdes.number()), new PendingWrites(batch -> { }, Duration.ZERO, metrics),
                ReplyPolicy.parse("persona.inbound.replies*", topic -> true), WINDOW, pacer, metrics,
                Tracing.off().tracer());
        processor.init(context);
        return processor;
    }
}
