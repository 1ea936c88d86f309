package com.personasettings.processor.replay;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Where in the command log a replay starts: the beginning, the first command at or after a time, or offsets. */
public sealed interface StartPosition {

    /** The first offset to replay in each partition. */
    Map<TopicPartition, Long> resolve(Consumer<?, ?> consumer, List<TopicPartition> partitions);

    static StartPosition beginning() {
        return new Beginning();
    }

    static StartPosition at(Instant timestamp) {
        return new Timestamp(timestamp);
    }

    /** Parses {@code 0:1200,1:980,...}: partition, colon, first offset to replay; every partition named. */
    static StartPosition offsets(String spec) {
        Map<Integer, Long> offsets = new TreeMap<>();
        for (String part : spec.split(",")) {
            String[] pair = part.trim().split(":");
            if (pair.length != 2) {
                throw new IllegalArgumentException("offsets look like 0:1200,1:980 (partition:offset), not " + spec);
            }
            try {
                offsets.put(Integer.parseInt(pair[0].trim()), Long.parseLong(pair[1].trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("offsets look like 0:1200,1:980 (partition:offset), not " + spec);
            }
        }
        return new Offsets(offsets);
    }

    record Beginning() implements StartPosition {
        @Override
        public Map<TopicPartition, Long> resolve(Consumer<?, ?> consumer, List<TopicPartition> partitions) {
            return consumer.beginningOffsets(partitions);
        }
    }

    record Timestamp(Instant timestamp) implements StartPosition {
        @Override
        public Map<TopicPartition, Long> resolve(Consumer<?, ?> consumer, List<TopicPartition> partitions) {
            Map<TopicPartition, Long> query = new HashMap<>();
            partitions.forEach(partition -> query.put(partition, timestamp.toEpochMilli()));
            Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            Map<TopicPartition, Long> start = new HashMap<>();
            // No record at or after the time: nothing to replay in that partition.
            partitions.forEach(partition -> start.put(partition,
                    found.get(partition) == null ? end.get(partition) : found.get(partition).offset()));
            return start;
        }
    }

    record Offsets(Map<Integer, Long> offsets) implements StartPosition {
        @Override
        public Map<TopicPartition, Long> resolve(Consumer<?, ?> consumer, List<TopicPartition> partitions) {
            Map<TopicPartition, Long> start = new HashMap<>();
            for (TopicPartition partition : partitions) {
                Long offset = offsets.get(partition.partition());
                if (offset == null) {
                    // The state at a start offset is only known when it is known for every partition.
                    throw new IllegalArgumentException("--from-offsets must name every partition of "
                            + partition.topic() + " (0-" + (partitions.size() - 1) + "); missing " + partition.partition());
                }
                start.put(partition, offset);
            }
            if (offsets.size() != partitions.size()) {
                throw new IllegalArgumentException("--from-offsets names partitions that " + partitions.get(0).topic()
                        + " does not have: " + offsets.keySet());
            }
            return start;
        }
    }
}
