package com.personasettings.client;

import com.personasettings.schemas.ErrorCode;
import com.personasettings.testkit.KafkaBroker;
import com.personasettings.testkit.SharedInfrastructure;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.ForwardingAdmin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.internals.KafkaFutureImpl;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The client against a real broker, registry, PostgreSQL and processor. */
class PersonaClientIT {

    private static final Duration OUTCOME = Duration.ofSeconds(30);
    private static final AtomicLong NUMBER_IDS = new AtomicLong(1_000);

    private final ProcessorStack stack = ProcessorStack.get();

    @Test
    void aServiceProvisionsAttachesAndChangesANumbersSettings() throws Exception {
        UUID org = UUID.randomUUID();
        UUID persona = UUID.randomUUID();
        String phone = "+14155550301";
        long numberId = NUMBER_IDS.incrementAndGet();
        try (PersonaClient client = stack.client("billing").build()) {
            Outcome provisioned = client.provision(org, phone, numberId, "Main line").get(30, TimeUnit.SECONDS);
            assertThat(provisioned.succeeded()).as("%s", provisioned).isTrue();
            assertThat(provisioned.number().id()).isEqualTo(numberId);
            assertThat(provisioned.number().orgId()).isEqualTo(org);
            assertThat(provisioned.number().label()).isEqualTo("Main line");
            assertThat(provisioned.number().personaId()).isNull();

            Outcome attached = client.attach(org, persona, phone).get(30, TimeUnit.SECONDS);
            assertThat(attached.number().personaId()).isEqualTo(persona);

            Settings settings = new Settings("pathway_abc123", 2L, "node_xyz");
            SentCommand sent = client.send(Command.updateSettings(org, persona, phone, settings));
            Outcome changed = sent.outcome().get(30, TimeUnit.SECONDS);
            assertThat(changed.succeeded()).isTrue();
            assertThat(changed.refusal()).isNull();
            assertThat(changed.commandId()).isEqualTo(sent.commandId());
            assertThat(changed.phoneNumber()).isEqualTo(phone);
            assertThat(changed.number().settings()).isEqualTo(settings);
            assertThat(changed.number().personaId()).isEqualTo(persona);
            assertThat(sent.written()).isCompleted();
            assertThat(client.pending()).isZero();

            // An outcome arrives only once its rows are committed: the row holds the settings already.
            assertThat(stack.column(phone, "persona_settings")).contains("node_xyz");
            assertThat(stack.column(phone, "persona_id")).isEqualTo(persona.toString());

            Outcome cleared = client.updateSettings(org, persona, phone, null).get(30, TimeUnit.SECONDS);
            assertThat(cleared.number().settings()).isNull();
            assertThat(cleared.number().updatedAt()).isAfterOrEqualTo(changed.number().updatedAt());
        }
    }

    @Test
    void aRefusedCommandIsAnOutcomeWithTheErrorCodeAndMessage() throws Exception {
        try (PersonaClient client = stack.client("billing").build()) {
            Outcome outcome = client.updateSettings(UUID.randomUUID(), UUID.randomUUID(), "+14155559999",
                    new Settings(null, null, "greeting")).get(30, TimeUnit.SECONDS);

            assertThat(outcome.succeeded()).isFalse();
            assertThat(outcome.number()).isNull();
            assertThat(outcome.refusal().code()).isEqualTo("INBOUND_NOT_FOUND");
            assertThat(outcome.refusal().is(ErrorCode.INBOUND_NOT_FOUND)).isTrue();
            assertThat(outcome.refusal().message()).isEqualTo(ErrorCode.INBOUND_NOT_FOUND.message());
        }
    }

    @Test
    void aCommandSentAgainWithItsIdempotencyKeyIsAppliedOnceAndAnsweredWithTheFirstOutcome() throws Exception {
        UUID org = UUID.randomUUID();
        UUID persona = UUID.randomUUID();
        String phone = "+14155550302";
        try (PersonaClient client = stack.client("billing").build()) {
            assertThat(client.provision(org, phone, NUMBER_IDS.incrementAndGet(), null).get(30, TimeUnit.SECONDS)
                    .succeeded()).isTrue();
            assertThat(client.attach(org, persona, phone).get(30, TimeUnit.SECONDS).succeeded()).isTrue();

            Command first = Command.updateSettings(org, persona, phone, new Settings("p", 1L, "a"))
                    .withIdempotencyKey("order-17");
            SentCommand sent = client.send(first);
            Outcome firstOutcome = sent.outcome().get(30, TimeUnit.SECONDS);
            // Another change in between: a repeat of the first must not bring its settings back.
            client.updateSettings(org, persona, phone, new Settings("p", 2L, "b")).get(30, TimeUnit.SECONDS);

            SentCommand again = client.send(first);
            Outcome repeated = again.outcome().get(30, TimeUnit.SECONDS);
            assertThat(again.commandId()).isEqualTo(sent.commandId());
            assertThat(repeated).isEqualTo(firstOutcome);
            assertThat(stack.column(phone, "persona_settings")).contains("\"b\"").doesNotContain("\"a\"");
        }
        // The same key from another service is another command: applied, with its own outcome.
        try (PersonaClient other = stack.client("shipping").build()) {
            SentCommand fromOther = other.send(Command.updateSettings(org, persona, phone, new Settings("p", 1L, "a"))
                    .withIdempotencyKey("order-17"));
            assertThat(fromOther.outcome().get(30, TimeUnit.SECONDS).number().settings().startNodeId()).isEqualTo("a");
        }
    }

    @Test
    void aMissingReplyTopicIsCreatedLikeAGatewaysAndAnExistingOneIsKept() throws Exception {
        String topic = "persona.inbound.replies.created-by-client";
        try (PersonaClient client = stack.client("created-by-client").build();
             Admin admin = Admin.create(Map.of("bootstrap.servers", stack.bootstrapServers))) {
            assertThat(client.replyTopic()).isEqualTo(topic);
            assertThat(admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()).hasSize(1);
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
            assertThat(config.get("retention.ms").value()).isEqualTo("3600000");
        }
        // a second start finds it there
        try (PersonaClient again = stack.client("created-by-client").build()) {
            assertThat(again.replyTopic()).isEqualTo(topic);
        }
    }

    @Test
    void aReplyTopicThePrincipalMayNotCreateFailsTheStartSayingSo() {
        Map<String, Object> config = Map.of("bootstrap.servers", stack.bootstrapServers);
        // The broker has no authorizer; this admin answers as one that refuses CREATE would.
        try (Admin refusing = new ForwardingAdmin(config) {
            @Override
            public CreateTopicsResult createTopics(Collection<NewTopic> topics, CreateTopicsOptions options) {
                KafkaFutureImpl<CreateTopicsResult.TopicMetadataAndConfig> refused = new KafkaFutureImpl<>();
                refused.completeExceptionally(new TopicAuthorizationException(Set.of("persona.inbound.replies.nobody")));
                return new CreateTopicsResult(Map.<String, KafkaFuture<CreateTopicsResult.TopicMetadataAndConfig>>of(
                        "persona.inbound.replies.nobody", refused)) {
                };
            }
        }) {
            assertThatThrownBy(() -> ReplyTopic.ensure(refusing, "persona.inbound.replies.nobody", Duration.ofSeconds(30)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("Not authorised to create the reply topic persona.inbound.replies.nobody")
                    .hasMessageContaining("grant this principal CREATE")
                    .hasCauseInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    void withNoProcessorRunningTheOutcomeTimesOutWithinTheBoundAndCloseFailsWhatStillWaits() throws Exception {
        try (KafkaBroker lonely = KafkaBroker.start(SharedInfrastructure.workDir().resolve("no-processor-kafka"))) {
            lonely.createTopics(3, "persona.inbound.commands");
            Duration bound = Duration.ofSeconds(2);
            PersonaClient client = PersonaClient.builder()
                    .bootstrapServers(lonely.bootstrapServers())
                    .schemaRegistryUrl(stack.registryUrl)
                    .serviceName("waiting")
                    .replyTimeout(bound)
                    .build();
            try {
                long start = System.nanoTime();
                SentCommand sent = client.send(Command.attach(UUID.randomUUID(), UUID.randomUUID(), "+14155550304"));
                ExecutionException failed = (ExecutionException) catchThrowable(() -> sent.outcome().get(30, TimeUnit.SECONDS));
                Duration took = Duration.ofNanos(System.nanoTime() - start);

                assertThat(failed.getCause()).isInstanceOf(TimeoutException.class)
                        .hasMessageContaining(sent.commandId().toString())
                        .hasMessageContaining("was written to persona.inbound.commands but no outcome arrived within 2000 ms");
                assertThat(took).isGreaterThanOrEqualTo(bound).isLessThan(bound.plusSeconds(5));
                assertThat(sent.written()).isCompletedWithValue(null);
                await().atMost(Duration.ofSeconds(5)).until(() -> client.pending() == 0);
            } finally {
                client.close();
            }

            PersonaClient patient = PersonaClient.builder()
                    .bootstrapServers(lonely.bootstrapServers())
                    .schemaRegistryUrl(stack.registryUrl)
                    .serviceName("waiting")
                    .build();
            CompletableFuture<Outcome> waiting = patient.detach(UUID.randomUUID(), UUID.randomUUID(), "+14155550305");
            assertThat(patient.pending()).isEqualTo(1);
            patient.close();
            assertThat(waiting).isCompletedExceptionally();
            assertThatThrownBy(waiting::join).hasCauseInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("closed before the outcome");
            assertThatThrownBy(() -> patient.attach(UUID.randomUUID(), UUID.randomUUID(), "+14155550305"))
                    .isInstanceOf(IllegalStateException.class);
        }
    }

    private static Throwable catchThrowable(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        return org.assertj.core.api.Assertions.catchThrowable(call);
    }
}
