package com.personasettings.testkit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;

/**
 * A real Kafka cluster (KRaft) running in this JVM, through Kafka's own test kit: one combined broker and
 * controller, or several brokers of which the first is also the controller. Brokers can be stopped and
 * started again on the same ports, for outage tests (the controller keeps running meanwhile). No Docker, no
 * ZooKeeper; ready in a few seconds.
 */
public final class KafkaBroker implements AutoCloseable {

    private final KafkaClusterTestKit cluster;

    private KafkaBroker(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
    }

    /** @param baseDir where the broker keeps its logs; deleted on close */
    public static KafkaBroker start(Path baseDir) {
        return start(baseDir, 1);
    }

    /**
     * @param baseDir where the brokers keep their logs; deleted on close
     * @param brokers how many; every topic gets one replica, so a stopped broker makes its partitions unavailable
     */
    public static KafkaBroker start(Path baseDir, int brokers) {
        try {
            Files.createDirectories(baseDir);
            TestKitNodes nodes = new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(brokers)
                    .setNumControllerNodes(1)
                    .setBaseDirectory(Files.createTempDirectory(baseDir, "kafka-"))
                    .build();
            KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(nodes)
                    // One replica everywhere (a single broker cannot hold more, and outage tests want a stopped
                    // broker's partitions to become unavailable).
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("offsets.topic.num.partitions", "5")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .setConfigProp("transaction.state.log.num.partitions", "5")
                    .setConfigProp("default.replication.factor", "1")
                    // Tests start and stop consumers all the time; do not wait for more members to join.
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .setConfigProp("auto.create.topics.enable", "false")
                    .setDeleteOnClose(true)
                    .build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            return new KafkaBroker(cluster);
        } catch (Exception e) {
            throw new IllegalStateException("could not start the in-process Kafka cluster", e);
        }
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    public Admin admin() {
        return Admin.create(Map.of("bootstrap.servers", bootstrapServers()));
    }

    public Set<Integer> brokerIds() {
        return cluster.brokers().keySet();
    }

    /** Stops one broker; its ports and logs stay for {@link #startBroker}. */
    public void stopBroker(int id) {
        cluster.brokers().get(id).shutdown();
    }

    public void startBroker(int id) {
        cluster.brokers().get(id).startup();
    }

    /** Creates topics with the given partition count and replication factor 1; existing ones are an error. */
    public void createTopics(int partitions, String... topics) {
        try (Admin admin = admin()) {
            admin.createTopics(Arrays.stream(topics).map(t -> new NewTopic(t, partitions, (short) 1)).toList())
                    .all().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not create topics " + Arrays.toString(topics), e.getCause());
        }
    }

    @Override
    public void close() throws Exception {
        cluster.close();
    }
}
