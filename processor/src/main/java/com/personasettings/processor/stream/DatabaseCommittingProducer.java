package com.personasettings.processor.stream;

import com.personasettings.processor.db.PendingWrites;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.metrics.KafkaMetric;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;

/**
 * The stream thread's transactional producer, with one addition: the database batch of the transaction is
 * written (and committed) right before the Kafka transaction commits, and dropped when it aborts.
 *
 * <p>If PostgreSQL stays unreachable past the retry budget, or refuses the batch, the commit fails as if the
 * producer had been fenced. Kafka Streams then closes every task dirty, never commits this transaction (the broker aborts it),
 * and processes the same records again from the last committed offsets. Nothing is skipped and no outcome
 * is published before its rows are committed. (A {@code TimeoutException} would be the wrong signal: Kafka
 * Streams answers it by committing the open transaction for the tasks it considers healthy, and under
 * exactly-once v2 that transaction holds every task's output.) A database commit that succeeds followed by
 * a Kafka commit that fails is harmless: the reprocessed commands find their outcome rows already there
 * and the number rows converge to the same state.
 */
final class DatabaseCommittingProducer implements Producer<byte[], byte[]> {

    private final Producer<byte[], byte[]> delegate;
    private final PendingWrites writes;
    private final CommitPacer pacer;

    DatabaseCommittingProducer(Producer<byte[], byte[]> delegate, PendingWrites writes, CommitPacer pacer) {
        this.delegate = delegate;
        this.writes = writes;
        this.pacer = pacer;
    }

    @Override
    public void commitTransaction() {
        long start = System.nanoTime();
        try {
            try {
                writes.commit();
            } catch (PendingWrites.DatabaseWriteFailedException e) {
                writes.discard();
                ProducerFencedException abandon = new ProducerFencedException(
                        "Database write failed: abandoning the transaction; its records will be processed again");
                abandon.initCause(e);
                throw abandon;
            }
            delegate.commitTransaction();
        } finally {
            pacer.committed(start);
        }
    }

    @Override
    public void abortTransaction() {
        writes.discard();
        delegate.abortTransaction();
    }

    @Override
    public void close() {
        writes.discard();
        delegate.close();
    }

    @Override
    public void close(Duration timeout) {
        writes.discard();
        delegate.close(timeout);
    }

    // Everything else is the plain producer.

    @Override
    public void initTransactions() {
        delegate.initTransactions();
    }

    @Override
    public void beginTransaction() {
        delegate.beginTransaction();
    }

    @Override
    public void sendOffsetsToTransaction(Map<TopicPartition, OffsetAndMetadata> offsets,
                                         ConsumerGroupMetadata groupMetadata) {
        delegate.sendOffsetsToTransaction(offsets, groupMetadata);
    }

    @Override
    public void registerMetricForSubscription(KafkaMetric metric) {
        delegate.registerMetricForSubscription(metric);
    }

    @Override
    public void unregisterMetricFromSubscription(KafkaMetric metric) {
        delegate.unregisterMetricFromSubscription(metric);
    }

    @Override
    public Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record) {
        return delegate.send(record);
    }

    @Override
    public Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record, Callback callback) {
        return delegate.send(record, callback);
    }

    @Override
    public void flush() {
        delegate.flush();
    }

    @Override
    public List<PartitionInfo> partitionsFor(String topic) {
        return delegate.partitionsFor(topic);
    }

    @Override
    public Map<MetricName, ? extends Metric> metrics() {
        return delegate.metrics();
    }

    @Override
    public Uuid clientInstanceId(Duration timeout) {
        return delegate.clientInstanceId(timeout);
    }
}
