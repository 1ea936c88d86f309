package com.personasettings.devstack;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A real multi-node Kafka cluster (KRaft) as child processes, for faults a single broker cannot show: every node
 * combines broker and controller, and all of them are voters of the controller quorum. Three nodes survive the
 * loss of any one: the quorum keeps a majority (2 of 3), and with replication factor 3 and
 * {@code min.insync.replicas=2} (internal topics included) every partition still takes {@code acks=all} writes.
 *
 * <p>Combined nodes rather than one controller and three brokers: three JVMs instead of four on a small machine,
 * and no node is special, so killing any of them (the active controller included) is a fault the cluster must
 * ride out. Node {@code n} (1, 2, 3) listens for clients on {@code basePort + 2(n-1)} and for the quorum on the
 * port after it, and keeps its log under {@code dir/node-n}: a node killed with SIGKILL or stopped can be started
 * again on the same ports with the same data. Every node stops by itself when this JVM is gone ({@link ExitWithParent}).
 */
public final class KafkaCluster implements AutoCloseable {

    public static final String HOST = KafkaServer.HOST;
    public static final int REPLICATION_FACTOR = 3;
    public static final int MIN_INSYNC_REPLICAS = 2;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private final int basePort;
    private final List<KafkaNode> nodes;

    private KafkaCluster(int basePort, List<KafkaNode> nodes) {
        this.basePort = basePort;
        this.nodes = nodes;
    }

    /**
     * Starts a cluster of {@code size} nodes (at least 3), formatting their folders on first use, and waits until
     * every broker is up.
     */
    public static KafkaCluster open(Path dir, int basePort, int size) {
        if (size < REPLICATION_FACTOR) {
            throw new IllegalArgumentException("a cluster needs at least " + REPLICATION_FACTOR + " nodes");
        }
        Path root = dir.toAbsolutePath();
        // Every node must carry the same cluster id: the one an earlier run formatted them with, or a new one.
        String clusterId = IntStream.rangeClosed(1, size).mapToObj(n -> KafkaNode.clusterId(nodeDir(root, n)))
                .flatMap(java.util.Optional::stream).findFirst().orElse(Uuid.randomUuid().toString());
        String voters = IntStream.rangeClosed(1, size)
                .mapToObj(n -> n + "@" + HOST + ":" + (clientPort(basePort, n) + 1)).collect(Collectors.joining(","));
        List<KafkaNode> nodes = new ArrayList<>();
        for (int n = 1; n <= size; n++) {
            nodes.add(KafkaNode.prepare(nodeDir(root, n), properties(n, clientPort(basePort, n), voters), clusterId));
        }
        KafkaCluster cluster = new KafkaCluster(basePort, nodes);
        // All at once: a node waits for a majority of the quorum before it serves anything.
        nodes.forEach(KafkaNode::start);
        try {
            cluster.awaitBrokers(START_TIMEOUT);
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    private static List<String> properties(int node, int port, String voters) {
        return List.of(
                "process.roles=broker,controller",
                "node.id=" + node,
                "controller.quorum.voters=" + voters,
                "listeners=PLAINTEXT://" + HOST + ":" + port + ",CONTROLLER://" + HOST + ":" + (port + 1),
                "advertised.listeners=PLAINTEXT://" + HOST + ":" + port,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                // Every topic, the internal ones included, keeps three copies and takes an acks=all write while
                // two are in sync: one node may be down at any time without a write being refused or lost.
                "default.replication.factor=" + REPLICATION_FACTOR,
                "min.insync.replicas=" + MIN_INSYNC_REPLICAS,
                "offsets.topic.replication.factor=" + REPLICATION_FACTOR,
                "transaction.state.log.replication.factor=" + REPLICATION_FACTOR,
                "transaction.state.log.min.isr=" + MIN_INSYNC_REPLICAS,
                // 10 partitions instead of 50 for the internal topics: three JVMs share a small machine, and a
                // node that restarts has fewer replicas to bring back in sync.
                "offsets.topic.num.partitions=10",
                "transaction.state.log.num.partitions=10",
                // A lost write must never be traded for availability.
                "unclean.leader.election.enable=false",
                "group.initial.rebalance.delay.ms=0",
                "auto.create.topics.enable=false");
    }

    private static Path nodeDir(Path root, int node) {
        return root.resolve("node-" + node);
    }

    private static int clientPort(int basePort, int node) {
        return basePort + 2 * (node - 1);
    }

    public int size() {
        return nodes.size();
    }

    /** The client port of node {@code n} (1-based). */
    public int clientPort(int node) {
        return clientPort(basePort, node);
    }

    /** Every port the cluster listens on: each node's client port and the controller port after it. */
    public List<Integer> ports() {
        return IntStream.rangeClosed(1, size()).boxed()
                .flatMap(n -> java.util.stream.Stream.of(clientPort(n), clientPort(n) + 1)).toList();
    }

    /** All brokers: a client finds the cluster through any that is up. */
    public String bootstrapServers() {
        return IntStream.rangeClosed(1, size()).mapToObj(n -> HOST + ":" + clientPort(n)).collect(Collectors.joining(","));
    }

    public Admin admin() {
        return Admin.create(Map.<String, Object>of("bootstrap.servers", bootstrapServers()));
    }

    /** SIGKILL of node {@code n}: no controlled shutdown, its leaderships and its controller vote lost at once. */
    public void kill(int node) throws InterruptedException {
        node(node).kill();
    }

    /** A clean stop of node {@code n} (SIGTERM: controlled shutdown, leaderships moved first). */
    public void stop(int node) throws InterruptedException {
        node(node).stop();
    }

    /** Starts node {@code n} again, on its ports with its data; see {@link #awaitBrokers}. */
    public void start(int node) {
        node(node).start();
    }

    public boolean isRunning(int node) {
        return node(node).isAlive();
    }

    /** Waits until every node runs and is a live broker of the cluster. */
    public void awaitBrokers(Duration timeout) {
        KafkaReady.await(bootstrapServers(), size(), nodes, timeout);
    }

    /**
     * Waits until every partition of every topic, internal ones included, has all its replicas in sync again (after a
     * node came back), so the next node to fail leaves each partition with a quorum of in-sync replicas.
     */
    public void awaitFullyReplicated(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = admin()) {
            Map<String, String> lagging = underReplicated(admin);
            while (!lagging.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("partitions still under-replicated after " + timeout.toSeconds()
                            + " s (in sync/replicas): " + lagging);
                }
                Thread.sleep(250); // polling the brokers' view of replication
                lagging = underReplicated(admin);
            }
        }
    }

    /** Partition → "in sync/replicas" for each partition not fully in sync; a failed lookup counts as one. */
    private static Map<String, String> underReplicated(Admin admin) {
        Map<String, String> lagging = new TreeMap<>();
        try {
            var names = admin.listTopics(new org.apache.kafka.clients.admin.ListTopicsOptions().listInternal(true))
                    .names().get(5, TimeUnit.SECONDS);
            for (TopicDescription topic : admin.describeTopics(names).allTopicNames().get(5, TimeUnit.SECONDS).values()) {
                for (TopicPartitionInfo partition : topic.partitions()) {
                    if (partition.isr().size() < partition.replicas().size()) {
                        lagging.put(topic.name() + "-" + partition.partition(),
                                partition.isr().size() + "/" + partition.replicas().size());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            lagging.put("(interrupted)", "?");
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            lagging.put("(cluster not answering: " + e + ")", "?");
        }
        return lagging;
    }

    private KafkaNode node(int node) {
        if (node < 1 || node > nodes.size()) {
            throw new IllegalArgumentException("no node " + node + " in a cluster of " + nodes.size());
        }
        return nodes.get(node - 1);
    }

    /** Stops every node cleanly, all at once (one by one, the last would wait for a quorum that is gone). */
    @Override
    public void close() {
        List<Thread> stopping = new ArrayList<>();
        for (KafkaNode node : nodes) {
            Thread thread = new Thread(() -> {
                try {
                    node.stop();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "stopping kafka node");
            thread.start();
            stopping.add(thread);
        }
        for (Thread thread : stopping) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
