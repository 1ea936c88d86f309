package com.personasettings.processor.stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Whether a reply topic exists, asked of the broker and remembered. Sending to a topic that does not exist
 * would block the stream thread for the producer's max.block.ms and then fail the transaction, again and
 * again for the same record: one bad reply-to header would stall every partition of the thread.
 */
public final class ReplyTopics implements Predicate<String> {

    private static final Logger log = LoggerFactory.getLogger(ReplyTopics.class);
    /** A missing topic is asked about again after this long: a gateway may create its reply topic late. */
    private static final long RECHECK_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final Admin admin;
    private final Set<String> existing = ConcurrentHashMap.newKeySet();
    private final Map<String, Long> missingSince = new ConcurrentHashMap<>();

    public ReplyTopics(Admin admin) {
        this.admin = admin;
    }

    @Override
    public boolean test(String topic) {
        if (existing.contains(topic)) {
            return true;
        }
        Long since = missingSince.get(topic);
        if (since != null && System.nanoTime() - since < RECHECK_NANOS) {
            return false;
        }
        boolean exists = askBroker(topic);
        if (exists) {
            existing.add(topic);
            missingSince.remove(topic);
        } else {
            missingSince.put(topic, System.nanoTime());
        }
        return exists;
    }

    private boolean askBroker(String topic) {
        try {
            admin.describeTopics(List.of(topic)).allTopicNames().get(5, TimeUnit.SECONDS);
            return true;
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                log.warn("Could not check reply topic {}: {}", topic, e.getCause().toString());
            }
            return false;
        } catch (java.util.concurrent.TimeoutException e) {
            log.warn("Could not check reply topic {} in time", topic);
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
