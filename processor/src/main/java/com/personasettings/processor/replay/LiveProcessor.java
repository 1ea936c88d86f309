package com.personasettings.processor.replay;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;

/** The live processor's progress through the command log, read from its consumer group's committed offsets. */
final class LiveProcessor {

    private static final Duration POLL = Duration.ofMillis(500);

    private LiveProcessor() {
    }

    /**
     * Waits until the live processor (consumer group {@code applicationId}) has committed past {@code end} in
     * every partition, so its database holds every command the replay saw. Its commits are transactions that
     * include the database rows, so a committed offset means the rows are there.
     */
    static void awaitCaughtUp(Admin admin, String topic, String applicationId, Map<Integer, Long> end,
                              Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<Integer, String> behind = behind(admin, topic, applicationId, end);
        while (!behind.isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the live processor (" + applicationId + ") has not processed the "
                        + "command log up to where the replay stopped after " + timeout.toSeconds() + " s; partition="
                        + "committed/needed: " + behind + ". Is it running? (--verify-wait to wait longer)");
            }
            Thread.sleep(POLL.toMillis());
            behind = behind(admin, topic, applicationId, end);
        }
    }

    /** Partitions where the group's committed offset is below the end: partition → committed/needed. */
    private static Map<Integer, String> behind(Admin admin, String topic, String applicationId, Map<Integer, Long> end)
            throws InterruptedException {
        Map<TopicPartition, OffsetAndMetadata> committed;
        try {
            committed = admin.listConsumerGroupOffsets(applicationId).partitionsToOffsetAndMetadata().get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot read the offsets of consumer group " + applicationId, e.getCause());
        }
        Map<Integer, String> behind = new TreeMap<>();
        end.forEach((partition, needed) -> {
            OffsetAndMetadata offset = committed.get(new TopicPartition(topic, partition));
            long at = offset == null ? -1 : offset.offset();
            if (needed > 0 && at < needed) {
                behind.put(partition, (at < 0 ? "none" : Long.toString(at)) + "/" + needed);
            }
        });
        return behind;
    }
}
