package com.personasettings.torture;

import com.personasettings.devstack.Service;
import com.personasettings.schemas.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartitionInfo;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The faults of a torture run, in the order they are injected: a processor, a gateway and a broker killed with
 * SIGKILL, PostgreSQL stopped, a broker restarted cleanly. How long each part stays down grows with the phase
 * length (a longer run holds each fault longer) within bounds that matter: a processor or gateway down a few
 * seconds, a broker down long enough to be fenced (the controller's broker session timeout is 9 s), PostgreSQL
 * down past the processor's 20 s retry budget in a long run, so its transactions are abandoned and processed
 * again, not only delayed.
 */
final class Faults {

    /** How many faults {@link #standard} injects. */
    static final int COUNT = 5;
    private static final Duration RECOVERY_TIMEOUT = Duration.ofMinutes(5);

    private Faults() {
    }

    static List<Fault> standard(TortureStack stack, Duration phase) {
        Service processor = stack.processors.get(0);
        Service gateway = stack.gateways.get(1);
        int[] killedNode = new int[1];
        int[] restartedNode = new int[1];
        List<Set<String>> replacedMembers = new java.util.ArrayList<>(List.of(Set.of()));
        return List.of(
                new Fault("kill -9 " + processor.name(), clamp(phase.dividedBy(10), 2, 10), () -> {
                    try (Admin admin = stack.kafka.admin()) {
                        replacedMembers.set(0, ProcessorGroup.memberIds(admin, "p-1"));
                    }
                    long pid = processor.pid();
                    processor.kill();
                    return "SIGKILL to pid " + pid;
                }, () -> {
                    processor.start();
                    stack.awaitProcessors(replacedMembers.get(0));
                }),
                new Fault("kill -9 " + gateway.name(), clamp(phase.dividedBy(10), 2, 10), () -> {
                    long pid = gateway.pid();
                    gateway.kill();
                    return "SIGKILL to pid " + pid;
                }, () -> {
                    gateway.start();
                    stack.awaitGateway(gateway);
                }),
                new Fault("kill -9 broker", clamp(phase.dividedBy(4), 10, 30), () -> {
                    Map<Integer, Long> leaders = commandLeaders(stack);
                    killedNode[0] = leaders.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
                    stack.kafka.kill(killedNode[0]);
                    return "SIGKILL to node " + killedNode[0] + " (it led " + leaders.get(killedNode[0]) + " of "
                            + leaders.values().stream().mapToLong(Long::longValue).sum() + " command partitions"
                            + (killedNode[0] == controller(stack) ? ", and the controller quorum)" : ")");
                }, () -> {
                    stack.kafka.start(killedNode[0]);
                    awaitCluster(stack);
                }),
                new Fault("PostgreSQL stop/start", clamp(phase.dividedBy(4), 5, 30), () -> {
                    stack.postgres.stop();
                    return "fast shutdown";
                }, stack.postgres::restart),
                new Fault("broker clean restart", Duration.ZERO, () -> {
                    restartedNode[0] = controller(stack);
                    stack.kafka.stop(restartedNode[0]);
                    return "SIGTERM to node " + restartedNode[0] + " (the active controller), started again once it exited";
                }, () -> {
                    stack.kafka.start(restartedNode[0]);
                    awaitCluster(stack);
                }));
    }

    /** All brokers back, and every partition's replicas in sync again, before the next fault. */
    private static void awaitCluster(TortureStack stack) throws InterruptedException {
        stack.kafka.awaitBrokers(RECOVERY_TIMEOUT);
        stack.kafka.awaitFullyReplicated(RECOVERY_TIMEOUT);
    }

    /** Node → how many partitions of the command log it leads. */
    private static Map<Integer, Long> commandLeaders(TortureStack stack) throws Exception {
        try (Admin admin = stack.kafka.admin()) {
            List<TopicPartitionInfo> partitions = admin.describeTopics(List.of(Topics.COMMANDS)).allTopicNames()
                    .get(10, TimeUnit.SECONDS).get(Topics.COMMANDS).partitions();
            Map<Integer, Long> leaders = new TreeMap<>(partitions.stream().filter(p -> p.leader() != null)
                    .collect(Collectors.groupingBy(p -> p.leader().id(), Collectors.counting())));
            for (int node = 1; node <= stack.kafka.size(); node++) {
                leaders.putIfAbsent(node, 0L);
            }
            return leaders;
        }
    }

    /** The node leading the controller quorum. */
    private static int controller(TortureStack stack) throws Exception {
        try (Admin admin = stack.kafka.admin()) {
            return admin.describeMetadataQuorum().quorumInfo().get(10, TimeUnit.SECONDS).leaderId();
        }
    }

    private static Duration clamp(Duration value, long minSeconds, long maxSeconds) {
        return Duration.ofMillis(Math.max(minSeconds * 1000, Math.min(maxSeconds * 1000, value.toMillis())));
    }
}
