package com.personasettings.devstack;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Three Kafka processes: a node killed with SIGKILL, or stopped cleanly, loses no acknowledged write. */
class KafkaClusterIT {

    private static final String TOPIC = "cluster-it";

    @Test
    void aNodeKilledOrRestartedLosesNoAcknowledgedWriteAndComesBackInSync() throws Exception {
        Path dir = Path.of("target", "kafka-cluster-it").toAbsolutePath();
        FileTrees.delete(dir);
        int basePort = freePortRange(6);
        List<String> written = new ArrayList<>();
        try (KafkaCluster cluster = KafkaCluster.open(dir, basePort, 3)) {
            try (Admin admin = cluster.admin()) {
                admin.createTopics(List.of(new NewTopic(TOPIC, Optional.of(3), Optional.empty()))).all().get();
                // The node asked may not have the new topic's metadata yet: ask until it has.
                var partitions = await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(
                        () -> admin.describeTopics(List.of(TOPIC)).allTopicNames().get().get(TOPIC).partitions(),
                        found -> !found.isEmpty());
                // The broker defaults apply to topics created without settings of their own.
                assertThat(partitions).allSatisfy(p -> assertThat(p.replicas()).hasSize(3));
            }
            try (KafkaProducer<String, String> producer = producer(cluster)) {
                written.addAll(send(producer, "before", 100));
                int leader = leaderOfPartition0(cluster);
                cluster.kill(leader);
                // acks=all with min.insync.replicas=2: the two nodes left take every write.
                written.addAll(send(producer, "killed", 100));
                cluster.start(leader);
                cluster.awaitBrokers(Duration.ofSeconds(90));
                cluster.awaitFullyReplicated(Duration.ofSeconds(90));

                int other = leader % 3 + 1;
                cluster.stop(other);
                written.addAll(send(producer, "stopped", 100));
                cluster.start(other);
                cluster.awaitBrokers(Duration.ofSeconds(90));
                cluster.awaitFullyReplicated(Duration.ofSeconds(90));
            }
            assertThat(readAll(cluster)).containsExactlyInAnyOrderElementsOf(written);
        }
        // Closed: no node left running, every port free again.
        assertThat(ProcessHandle.allProcesses().filter(p -> commandLine(p).contains(dir.toString()))
                .filter(ProcessHandle::isAlive).toList()).isEmpty();
        assertThat(IntStream.range(basePort, basePort + 6).allMatch(KafkaClusterIT::isFree)).isTrue();
    }

    private static KafkaProducer<String, String> producer(KafkaCluster cluster) {
        return new KafkaProducer<>(Map.of("bootstrap.servers", cluster.bootstrapServers(), "acks", "all",
                "enable.idempotence", true, "delivery.timeout.ms", 60_000),
                new StringSerializer(), new StringSerializer());
    }

    private static List<String> send(KafkaProducer<String, String> producer, String prefix, int count) throws Exception {
        List<String> values = IntStream.range(0, count).mapToObj(i -> prefix + "-" + i).toList();
        List<Future<?>> acks = new ArrayList<>();
        for (String value : values) {
            acks.add(producer.send(new ProducerRecord<>(TOPIC, value, value)));
        }
        for (Future<?> ack : acks) {
            ack.get(60, TimeUnit.SECONDS);
        }
        return values;
    }

    private static int leaderOfPartition0(KafkaCluster cluster) throws Exception {
        try (Admin admin = cluster.admin()) {
            return admin.describeTopics(List.of(TOPIC)).allTopicNames().get().get(TOPIC).partitions().get(0).leader().id();
        }
    }

    private static List<String> readAll(KafkaCluster cluster) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                "bootstrap.servers", cluster.bootstrapServers()), new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = IntStream.range(0, 3).mapToObj(p -> new TopicPartition(TOPIC, p)).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<String> read = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    read.add(record.value());
                }
                return partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p));
            });
            Set<String> distinct = new HashSet<>(read);
            assertThat(distinct).as("no record twice").hasSameSizeAs(read);
            return read;
        }
    }

    /** The start of {@code count} consecutive free ports. */
    private static int freePortRange(int count) throws IOException {
        for (int attempt = 0; attempt < 100; attempt++) {
            int start;
            try (ServerSocket socket = new ServerSocket(0)) {
                start = socket.getLocalPort();
            }
            if (start + count < 65_535 && IntStream.range(start, start + count).allMatch(KafkaClusterIT::isFree)) {
                return start;
            }
        }
        throw new IllegalStateException("no " + count + " consecutive free ports");
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException inUse) {
            return false;
        }
    }

    private static String commandLine(ProcessHandle process) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(process.pid()), "cmdline")),
                    StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException | RuntimeException gone) {
            return "";
        }
    }
}
