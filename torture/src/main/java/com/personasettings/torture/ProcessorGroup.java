package com.personasettings.torture;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** The processors' consumer group as the brokers see it: who is in it, with which partitions, how far it got. */
final class ProcessorGroup {

    /** The processor's default application id, which is its consumer group. */
    static final String ID = "persona-settings-processor";

    private ProcessorGroup() {
    }

    /**
     * The current member ids of a processor instance's stream threads. Kafka Streams names each thread's static
     * member {@code <PROCESSOR_INSTANCE_ID>-<thread>}, e.g. {@code p-1-1}.
     */
    static Set<String> memberIds(Admin admin, String instance) throws Exception {
        return describe(admin).members().stream().filter(m -> ofInstance(m, instance))
                .map(MemberDescription::consumerId).collect(Collectors.toSet());
    }

    /**
     * Why the group is not settled yet, or null when it is: stable, every member belongs to one of these instances
     * and holds partitions, each instance has a member, and no member still has an id from {@code replaced} (the ids
     * of a killed instance: a static member keeps its place until its session times out, so its name alone does not
     * prove the new process joined).
     */
    static String unsettled(Admin admin, Set<String> instances, Set<String> replaced) throws Exception {
        ConsumerGroupDescription group = describe(admin);
        boolean settled = group.groupState() == GroupState.STABLE
                && instances.stream().allMatch(i -> group.members().stream().anyMatch(m -> ofInstance(m, i)))
                && group.members().stream().allMatch(m -> instances.stream().anyMatch(i -> ofInstance(m, i))
                && !replaced.contains(m.consumerId())
                && !m.assignment().topicPartitions().isEmpty());
        return settled ? null : "group " + group.groupState() + " with " + group.members().stream()
                .map(m -> m.groupInstanceId().orElse("?") + " " + m.consumerId() + " holding "
                        + m.assignment().topicPartitions().size() + " partitions").toList();
    }

    private static boolean ofInstance(MemberDescription member, String instance) {
        return member.groupInstanceId().map(id -> id.startsWith(instance + "-")).orElse(false);
    }

    /** Partitions where the group's committed offset is below {@code end}: partition → "committed/end". */
    static Map<TopicPartition, String> behind(Admin admin, Map<TopicPartition, Long> end) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(ID)
                .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        Map<TopicPartition, String> behind = new TreeMap<>(java.util.Comparator.comparing(TopicPartition::toString));
        end.forEach((partition, needed) -> {
            OffsetAndMetadata at = committed.get(partition);
            long offset = at == null ? 0 : at.offset();
            if (offset < needed) {
                behind.put(partition, offset + "/" + needed);
            }
        });
        return behind;
    }

    /** The group as the coordinator sees it now, for a report: state, and each member with its partitions. */
    static String summary(Admin admin) {
        try {
            ConsumerGroupDescription group = describe(admin);
            return "group " + group.groupState() + ", members " + group.members().stream()
                    .map(m -> m.groupInstanceId().orElse(m.consumerId()) + " holding " + m.assignment().topicPartitions()
                            .stream().map(TopicPartition::toString).sorted().toList()).toList();
        } catch (Exception e) {
            return "group not described: " + e;
        }
    }

    private static ConsumerGroupDescription describe(Admin admin) throws Exception {
        return admin.describeConsumerGroups(List.of(ID)).all().get(10, TimeUnit.SECONDS).get(ID);
    }
}
