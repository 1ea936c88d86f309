package com.personasettings.processor;

import com.personasettings.schemas.CommandOutcome;
import com.personasettings.schemas.InboundCommand;
import com.personasettings.schemas.InboundNumber;
import com.personasettings.schemas.Topics;
import com.personasettings.schemas.registry.SchemaRegistryClient;
import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;

/** Creates the contract's topics if they are missing and registers their schemas. */
public final class TopicSetup {

    private static final Logger log = LoggerFactory.getLogger(TopicSetup.class);
    private static final Duration REGISTRY_RETRY = Duration.ofSeconds(60);

    private TopicSetup() {
    }

    public static void ensureTopics(Admin admin, int partitions, short replicationFactor) {
        Optional<Integer> count = Optional.of(partitions);
        Optional<Short> replicas = replicationFactor < 1 ? Optional.empty() : Optional.of(replicationFactor);
        List<NewTopic> topics = List.of(
                // The command log is the audit trail replay rebuilds from: never delete it by age or size.
                new NewTopic(Topics.COMMANDS, count, replicas).configs(Map.of("retention.ms", "-1")),
                // Current state per number: keep the latest value of each key (tombstones remove released ones).
                new NewTopic(Topics.NUMBERS, count, replicas).configs(Map.of("cleanup.policy", "compact")),
                // Only the operator writes it; the processor copies each record onto the command log. Kept a week:
                // a processor down longer than that has bigger problems, and the log keeps the copies for good.
                new NewTopic(Topics.OPERATOR, count, replicas).configs(Map.of("retention.ms", "604800000")),
                new NewTopic(Topics.OUTCOMES, count, replicas).configs(Map.of("retention.ms", "-1")),
                // Replies only matter to a caller that is still waiting.
                new NewTopic(Topics.REPLIES, count, replicas).configs(Map.of("retention.ms", "3600000")),
                new NewTopic(Topics.COMMANDS_DLQ, count, replicas));
        for (NewTopic topic : topics) {
            try {
                admin.createTopics(List.of(topic)).all().get();
                log.info("Created topic {}", topic.name());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("could not create topic " + topic.name(), e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * Registers the contract's schemas under their subjects and sets each subject to BACKWARD: consumers
     * on a new schema can read everything written with the previous one. Registering first matters:
     * some registries (Apicurio) only take a subject's config once the subject exists.
     */
    public static void ensureSchemas(SchemaRegistryClient registry) {
        Map<String, Schema> subjects = Map.of(
                Topics.COMMANDS, InboundCommand.getClassSchema(),
                Topics.OUTCOMES, CommandOutcome.getClassSchema(),
                Topics.REPLIES, CommandOutcome.getClassSchema(),
                Topics.NUMBERS, InboundNumber.getClassSchema());
        subjects.forEach((topic, schema) -> {
            String subject = Topics.valueSubject(topic);
            // The registry may still be starting (or busy) when the processor starts: retry what is not a "no".
            Retry.withBackoff("Registering " + subject, REGISTRY_RETRY, RegistryErrors::isTransient, () -> {
                registry.register(subject, schema);
                registry.setCompatibility(subject, "BACKWARD");
                return null;
            });
        });
    }
}
