package com.personasettings.processor.stream;

import com.personasettings.processor.metrics.ProcessingMetrics;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Says what a start restored from the changelogs: a line per store partition that had records to read back (at
 * DEBUG when it had none), and {@code persona_state_restored_records_total{store}}. A clean restart (the stores' checkpoints written on
 * close) restores next to nothing; after a crash under exactly-once, the dirty stores are wiped and read back from
 * their changelogs, which is what a slow start after {@code kill -9} is made of.
 */
public final class RestoreLog implements StateRestoreListener {

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
        log.info("Restore of store {} from {} suspended after {} records (the task moved)", store, changelog,
                totalRestored);
    }

    private static String key(TopicPartition changelog, String store) {
        return store + '\0' + changelog;
    }
}
