package com.personasettings.processor.stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
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
    /**
     * What the broker said about a topic is asked again after this long: a gateway may create its reply topic
     * late, and a topic may be deleted (a send to it would block the stream thread for the producer's
     * max.block.ms before failing).
     */
    private static final long RECHECK_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final Admin admin;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();

    private record Answer(boolean exists, long askedAt) {
    }

    public ReplyTopics(Admin admin) {
        this.admin = admin;
    }

    @Override
    public boolean test(String topic) {
        Answer answer = answers.get(topic);
        if (answer == null || System.nanoTime() - answer.askedAt() >= RECHECK_NANOS) {
            answer = new Answer(askBroker(topic), System.nanoTime());
            answers.put(topic, answer);
        }
        return answer.exists();
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
