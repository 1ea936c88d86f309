package com.personasettings.processor.stream;

import com.personasettings.processor.metrics.ProcessingMetrics;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Says what Kafka Streams read back from the changelogs before a task could run (at start, and when a rebalance
 * brings a task here): a line per store partition that had records to restore (at DEBUG when it had none), and
 * {@code persona_state_restored_records_total{store}}.
 *
 * <p>How much that is depends on what the local state directory holds. After a clean stop, nothing. After a
 * crash, Kafka Streams 4.4 does not wipe the stores, as earlier versions did under exactly-once: it reads back what
 * each changelog holds past the offset the store last recorded with its data, which it does not do at every commit
 * (after {@code kill -9} the bench sees a few records per partition, not the store). Without the state directory
 * (a new host, a lost disk), every store is read back whole.
 */
public final class RestoreLog implements StateRestoreListener {

    /** The line logged when a store partition is restored: group 1 the records, group 2 the store. */
    public static final Pattern RESTORED = Pattern.compile("Restored (\\d+) records of store (\\S+) from ");

    private static final Logger log = LoggerFactory.getLogger(RestoreLog.class);

    private final ProcessingMetrics metrics;
    /** When each store partition's restore began, to say how long it took. */
    private final Map<String, Long> started = new ConcurrentHashMap<>();

    public RestoreLog(ProcessingMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void onRestoreStart(TopicPartition changelog, String store, long startingOffset, long endingOffset) {
        started.put(key(changelog, store), System.nanoTime());
        log.debug("Restoring store {} from {}: offsets {} to {}", store, changelog, startingOffset, endingOffset);
    }

    @Override
    public void onBatchRestored(TopicPartition changelog, String store, long batchEndOffset, long restored) {
        metrics.restored(store, restored);
    }

    @Override
    public void onRestoreEnd(TopicPartition changelog, String store, long totalRestored) {
        Long start = started.remove(key(changelog, store));
        long millis = start == null ? -1 : TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        if (totalRestored > 0) {
            log.info("Restored {} records of store {} from {} in {} ms", totalRestored, store, changelog, millis);
        } else {
            log.debug("Restored nothing of store {} from {}", store, changelog);
        }
    }

    @Override
    public void onRestoreSuspended(TopicPartition changelog, String store, long totalRestored) {
        started.remove(key(changelog, store));
        log.info("Restore of store {} from {} stopped after {} records (the task moved, closed or was found corrupted)",
                store, changelog, totalRestored);
    }

    private static String key(TopicPartition changelog, String store) {
        return store + '\0' + changelog;
    }
}
