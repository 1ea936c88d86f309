package com.personasettings.devstack;

import org.apache.kafka.common.Uuid;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real single-node Kafka (KRaft, broker and controller in one) as a child process that keeps its log in a
 * folder across runs: formatted on first use, reopened afterwards. Kafka's own {@code kafka.Kafka} and
 * {@code StorageTool}, run from this JVM's classpath. The broker stops by itself, cleanly, when this JVM is
 * gone without having closed it (see {@link ExitWithParent}). For several nodes, see {@link KafkaCluster}.
 */
public final class KafkaServer implements AutoCloseable {

    /** The host of the listeners: the broker binds the address it resolves to. */
    public static final String HOST = "localhost";

    private final KafkaNode node;
    private final int port;

    private KafkaServer(KafkaNode node, int port) {
        this.node = node;
        this.port = port;
    }

    /** @param port client port; the controller listens on {@code port + 1} */
    public static KafkaServer open(Path dir, int port) {
        KafkaNode node = KafkaNode.prepare(dir.toAbsolutePath(), List.of(
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@" + HOST + ":" + (port + 1),
                "listeners=PLAINTEXT://" + HOST + ":" + port + ",CONTROLLER://" + HOST + ":" + (port + 1),
                "advertised.listeners=PLAINTEXT://" + HOST + ":" + port,
                "controller.listener.names=CONTROLLER",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                // One broker: internal topics cannot have more replicas than that.
                "offsets.topic.replication.factor=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "auto.create.topics.enable=false"), Uuid.randomUuid().toString());
        node.start();
        KafkaServer server = new KafkaServer(node, port);
        KafkaReady.await(server.bootstrapServers(), 1, List.of(node), Duration.ofSeconds(60));
        return server;
    }

    public String bootstrapServers() {
        return HOST + ":" + port;
    }

    @Override
    public void close() throws InterruptedException {
        node.stop(); // SIGTERM: Kafka shuts down cleanly
    }
}
