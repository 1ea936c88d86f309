package com.personasettings.processor.stream;

import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.StreamsMetrics;

/** The processor's own metrics, registered beside Kafka Streams' (JMX, {@code KafkaStreams#metrics()}). */
public final class ProcessorMetrics {

    public static final String SCOPE = "persona-settings";
    /** Metric {@code disallowed-reply-to-total}: replies not sent because reply-to was not on the allowlist. */
    public static final String DISALLOWED_REPLY_TO = "disallowed-reply-to";

    /** Metric {@code missing-reply-topic-total}: replies not sent because the reply-to topic does not exist. */
    public static final String MISSING_REPLY_TOPIC = "missing-reply-topic";

    private ProcessorMetrics() {
    }

    static Sensor disallowedReplies(StreamsMetrics metrics) {
        return metrics.addRateTotalSensor(SCOPE, "commands", DISALLOWED_REPLY_TO, Sensor.RecordingLevel.INFO);
    }

    static Sensor missingReplyTopics(StreamsMetrics metrics) {
        return metrics.addRateTotalSensor(SCOPE, "commands", MISSING_REPLY_TOPIC, Sensor.RecordingLevel.INFO);
    }
}
