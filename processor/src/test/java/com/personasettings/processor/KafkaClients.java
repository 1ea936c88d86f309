package com.personasettings.processor;

import com.personasettings.schemas.CommandOutcome;
import com.personasettings.schemas.InboundCommand;
import com.personasettings.schemas.Topics;
import com.personasettings.schemas.registry.AvroDeserializer;
import com.personasettings.schemas.registry.AvroSerializer;
import com.personasettings.schemas.registry.SchemaRegistryClient;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** Plain Kafka clients for integration tests: what another service would use to talk to the processor. */
public final class KafkaClients {

    private KafkaClients() {
    }

    public static KafkaProducer<String, InboundCommand> commandProducer(String bootstrap, SchemaRegistryClient registry) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new AvroSerializer<>(registry));
    }

    public static KafkaProducer<byte[], byte[]> rawProducer(String bootstrap) {
        return new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    public static ProducerRecord<String, InboundCommand> record(InboundCommand command, String replyTo, String correlationId) {
        var record = new ProducerRecord<>(Topics.COMMANDS, command.getPhoneNumber(), command);
        if (replyTo != null) {
            record.headers().add(Topics.REPLY_TO_HEADER, replyTo.getBytes(StandardCharsets.UTF_8));
        }
        if (correlationId != null) {
            record.headers().add(Topics.CORRELATION_ID_HEADER, correlationId.getBytes(StandardCharsets.UTF_8));
        }
        return record;
    }

    /** Reads a whole topic from the beginning, seeing only committed transactions, as every consumer of outcomes must. */
    public static TopicReader<CommandOutcome> outcomes(String bootstrap, SchemaRegistryClient registry, String topic) {
        return new TopicReader<>(bootstrap, topic, new AvroDeserializer<>(CommandOutcome.class, registry));
    }

    public static TopicReader<byte[]> raw(String bootstrap, String topic) {
        return new TopicReader<>(bootstrap, topic, new ByteArrayDeserializer());
    }

    public static String header(ConsumerRecord<?, ?> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** Accumulates everything read from one topic; callers poll until what they expect is there. */
    public static final class TopicReader<V> implements AutoCloseable {
        private final KafkaConsumer<String, V> consumer;
        private final List<ConsumerRecord<String, V>> records = new ArrayList<>();

        TopicReader(String bootstrap, String topic, Deserializer<V> values) {
            consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                    new StringDeserializer(), values);
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        }

        /** Polls once and returns everything read so far. */
        public List<ConsumerRecord<String, V>> poll() {
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            return List.copyOf(records);
        }


        /** Polls once and returns only what this poll read. */
        public List<ConsumerRecord<String, V>> pollNew() {
            List<ConsumerRecord<String, V>> fresh = new ArrayList<>();
            consumer.poll(Duration.ofMillis(200)).forEach(fresh::add);
            records.addAll(fresh);
            return fresh;
        }

        public List<ConsumerRecord<String, V>> matching(Predicate<ConsumerRecord<String, V>> filter) {
            return poll().stream().filter(filter).toList();
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
