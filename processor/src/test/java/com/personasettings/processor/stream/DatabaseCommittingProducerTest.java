package com.personasettings.processor.stream;

import com.personasettings.processor.metrics.ProcessingMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import com.personasettings.processor.db.OutcomeRow;
import com.personasettings.processor.db.PendingWrites;
import com.personasettings.processor.db.WriteBatch;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The ordering contract between the database batch and the Kafka transaction. */
class DatabaseCommittingProducerTest {

    private final MockProducer<byte[], byte[]> kafka =
            new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    private final List<String> events = new ArrayList<>();
    private Consumer<WriteBatch> database = batch -> events.add("database wrote " + batch.size()
            + (kafka.transactionCommitted() ? " after" : " before") + " the Kafka commit");

    private PendingWrites writes;
    private DatabaseCommittingProducer producer;

    @BeforeEach
    void start() {
        writes = new PendingWrites(batch -> database.accept(batch), Duration.ofMillis(200),
                new ProcessingMetrics(new SimpleMeterRegistry()));
        producer = new DatabaseCommittingProducer(kafka, writes, CommitPacer.of(true));
        producer.initTransactions();
        producer.beginTransaction();
    }

    @Test
    void theBatchIsWrittenBeforeTheKafkaTransactionCommits() {
        writes.current().addOutcome(outcome());

        producer.commitTransaction();

        assertThat(events).containsExactly("database wrote 1 before the Kafka commit");
        assertThat(kafka.transactionCommitted()).isTrue();
        assertThat(writes.current().isEmpty()).isTrue();
    }

    @Test
    void anAbortedTransactionLeavesNothingToWrite() {
        writes.current().addOutcome(outcome());

        producer.abortTransaction();
        producer.beginTransaction();
        producer.commitTransaction();

        assertThat(events).isEmpty();
    }

    @Test
    void aDatabaseThatStaysDownAbandonsTheTransactionAsFencedAndDropsTheBatch() {
        database = batch -> {
            throw new IllegalStateException(new SQLTransientConnectionException("connection refused"));
        };
        writes.current().addOutcome(outcome());

        assertThatThrownBy(producer::commitTransaction).isInstanceOf(ProducerFencedException.class);
        assertThat(kafka.transactionCommitted()).isFalse();
        assertThat(writes.current().isEmpty()).isTrue();
    }

    @Test
    void aBatchTheDatabaseRefusesIsNotRetried() {
        List<Instant> attempts = new ArrayList<>();
        database = batch -> {
            attempts.add(Instant.now());
            throw new IllegalStateException("value too long for type character varying");
        };
        writes.current().addOutcome(outcome());

        assertThatThrownBy(producer::commitTransaction).isInstanceOf(ProducerFencedException.class)
                .hasRootCauseMessage("value too long for type character varying");
        assertThat(attempts).hasSize(1);
    }

    private static OutcomeRow outcome() {
        return new OutcomeRow(UUID.randomUUID(), "+14155551234", UUID.randomUUID(), "ProvisionNumber", "test", Instant.EPOCH,
                "{}", 0, 0, true, "{}", null);
    }
}
