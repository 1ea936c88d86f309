package com.personasettings.gateway;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * A real Kafka cluster (KRaft) in this JVM whose brokers can be stopped and started again on the same ports,
 * for outage tests. The testkit's {@code KafkaBroker} can only be closed for good. Node 0 is broker and
 * controller in one; further brokers are brokers only. The controller keeps running while brokers are stopped.
 */
final class RestartableKafka implements AutoCloseable {

    private final KafkaClusterTestKit cluster;

    private RestartableKafka(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
    }

    static RestartableKafka start(Path baseDir, int brokers) {
        try {
            Files.createDirectories(baseDir);
            TestKitNodes nodes = new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(brokers)
                    .setNumControllerNodes(1)
                    .setBaseDirectory(Files.createTempDirectory(baseDir, "kafka-"))
                    .build();
            KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(nodes)
                    // Replication factor 1 everywhere: stopping a broker makes its partitions unavailable.
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("offsets.topic.num.partitions", "5")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .setConfigProp("transaction.state.log.num.partitions", "5")
                    .setConfigProp("default.replication.factor", "1")
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .setConfigProp("auto.create.topics.enable", "false")
                    .setDeleteOnClose(true)
                    .build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            return new RestartableKafka(cluster);
        } catch (Exception e) {
            throw new IllegalStateException("could not start the in-process Kafka cluster", e);
        }
    }

    String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    Admin admin() {
        return Admin.create(Map.of("bootstrap.servers", bootstrapServers()));
    }

    Set<Integer> brokerIds() {
        return cluster.brokers().keySet();
    }

    void stopBroker(int id) {
        cluster.brokers().get(id).shutdown();
    }

    void startBroker(int id) {
        cluster.brokers().get(id).startup();
    }

    @Override
    public void close() throws Exception {
        cluster.close();
    }
}
