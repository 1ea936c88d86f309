package com.personasettings.gateway.kafka;

import com.personasettings.schemas.InboundCommand;
import com.personasettings.schemas.Topics;
import com.personasettings.schemas.registry.AvroSerializer;
import com.personasettings.schemas.registry.SchemaRegistryClient;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Publishes commands, keyed by phone number, asking for the reply on this instance's reply topic. */
public final class CommandPublisher implements AutoCloseable {

    private final KafkaProducer<String, InboundCommand> producer;
    private final String replyTopic;

    /** @param replyTopic where replies should go, or null when no one waits for them (operator commands) */
    public CommandPublisher(String bootstrapServers, SchemaRegistryClient registry, String replyTopic) {
        this.replyTopic = replyTopic;
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                // A command the caller was told about (202 or an outcome) must survive a broker failure.
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                // Small batches, shipped almost at once: a caller is waiting on each command.
                ProducerConfig.LINGER_MS_CONFIG, 1),
                new StringSerializer(), new AvroSerializer<>(registry));
    }

    /** Completes when the broker has the command (acks=all); the command id is the correlation id. */
    public CompletableFuture<RecordMetadata> publish(InboundCommand command) {
        ProducerRecord<String, InboundCommand> record =
                new ProducerRecord<>(Topics.COMMANDS, command.getPhoneNumber(), command);
        if (replyTopic != null) {
            record.headers()
                    .add(Topics.REPLY_TO_HEADER, replyTopic.getBytes(StandardCharsets.UTF_8))
                    .add(Topics.CORRELATION_ID_HEADER, command.getCommandId().toString().getBytes(StandardCharsets.UTF_8));
        }
        CompletableFuture<RecordMetadata> sent = new CompletableFuture<>();
        producer.send(record, (metadata, error) -> {
            if (error != null) {
                sent.completeExceptionally(error);
            } else {
                sent.complete(metadata);
            }
        });
        return sent;
    }

    @Override
    public void close() {
        producer.close();
    }
}
