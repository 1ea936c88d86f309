package com.personasettings.client;

import com.personasettings.schemas.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A reply topic, {@code persona.inbound.replies.<name>}, on the processor's default allowlist: a client's (named after
 * its service) or a gateway instance's (after its instance id). Both are made by this one rule: one partition, replies
 * kept an hour, the broker's replication factor.
 */
public final class ReplyTopic {

    /** One partition is plenty for one client's replies: each is small, and only this client reads them. */
    static final int PARTITIONS = 1;
    /** A reply is useful for as long as someone waits for it; an hour is generous. */
    static final Map<String, String> CONFIGS = Map.of("retention.ms", "3600000");

    private ReplyTopic() {
    }

    /** The reply topic of a service or gateway instance. */
    public static String name(String owner) {
        return Topics.REPLIES + "." + owner;
    }

    /**
     * Creates the topic unless it exists. Needs DESCRIBE on it, and CREATE when it is missing.
     *
     * @throws IllegalStateException naming the permission when the principal lacks it, or when the cluster does not
     *                               answer within {@code timeout}
     */
    public static void ensure(Admin admin, String topic, Duration timeout) {
        try {
            if (exists(admin, topic, timeout)) {
                return;
            }
            admin.createTopics(List.of(new NewTopic(topic, Optional.of(PARTITIONS), Optional.empty()).configs(CONFIGS)))
                    .all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException) {
                return; // another instance of the service created it meanwhile
            }
            if (e.getCause() instanceof AuthorizationException) {
                throw new IllegalStateException("Not authorised to create the reply topic " + topic + " ("
                        + e.getCause().getMessage() + "). Have it created with " + PARTITIONS + " partition and "
                        + "retention.ms=3600000, or grant this principal CREATE on it; the client also needs DESCRIBE "
                        + "and READ on it, and WRITE on " + Topics.COMMANDS + ".", e.getCause());
            }
            throw new IllegalStateException("Could not create the reply topic " + topic + ": " + e.getCause(),
                    e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Could not create the reply topic " + topic + ": the cluster did not answer "
                    + "within " + timeout.toMillis() + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating the reply topic " + topic, e);
        }
    }

    private static boolean exists(Admin admin, String topic, Duration timeout)
            throws ExecutionException, InterruptedException, TimeoutException {
        try {
            admin.describeTopics(List.of(topic)).allTopicNames().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return false;
            }
            if (e.getCause() instanceof AuthorizationException) {
                throw new IllegalStateException("Not authorised to describe the reply topic " + topic + " ("
                        + e.getCause().getMessage() + "). Grant this principal DESCRIBE and READ on it (and CREATE "
                        + "unless it is created beforehand), and WRITE on " + Topics.COMMANDS + ".", e.getCause());
            }
            throw e;
        }
    }

    /**
     * The topic's partitions. A topic created a moment ago may not be in every broker's metadata yet (an empty
     * answer): asked again for up to 30 s, since assigning nothing would lose every reply without a word.
     */
    public static List<TopicPartition> partitions(Consumer<byte[], byte[]> consumer, String topic) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            if (!partitions.isEmpty()) {
                return partitions;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the reply topic " + topic + " has no partitions in the cluster's "
                        + "metadata after 30 s");
            }
            try {
                TimeUnit.MILLISECONDS.sleep(100); // backoff between metadata requests
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the reply topic " + topic, e);
            }
        }
    }
}
