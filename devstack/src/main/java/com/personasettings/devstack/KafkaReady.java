package com.personasettings.devstack;

import org.apache.kafka.clients.admin.Admin;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Waiting for Kafka nodes started as child processes to serve clients. */
final class KafkaReady {

    private KafkaReady() {
    }

    /**
     * Waits until the cluster reports {@code brokers} live brokers, failing at once if one of the nodes exits.
     *
     * @param nodes the processes that must stay up meanwhile
     */
    static void await(String bootstrapServers, int brokers, List<KafkaNode> nodes, Duration timeout) {
        await(Map.of("bootstrap.servers", bootstrapServers), brokers, nodes, timeout);
    }

    /** @param client {@code bootstrap.servers} and the client security settings, if any */
    static void await(Map<String, Object> client, int brokers, List<KafkaNode> nodes, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Object> config = new java.util.HashMap<>(client);
        config.putAll(Map.of("request.timeout.ms", 2_000, "default.api.timeout.ms", 2_000));
        try (Admin admin = Admin.create(config)) {
            while (true) {
                for (KafkaNode node : nodes) {
                    if (!node.isAlive()) {
                        throw new IllegalStateException("Kafka " + node.exitDescription() + "; see " + node.log());
                    }
                }
                Exception last;
                try {
                    int live = admin.describeCluster().nodes().get(2, TimeUnit.SECONDS).size();
                    if (live >= brokers) {
                        return;
                    }
                    last = new IllegalStateException(live + " of " + brokers + " brokers up");
                } catch (Exception notYet) {
                    last = notYet;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Kafka did not start within " + timeout.toSeconds() + " s; see "
                            + nodes.get(0).log(), last);
                }
                try {
                    // Polling a broker that is starting; each try above already waits up to 2 s when it is not up.
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }
    }
}
