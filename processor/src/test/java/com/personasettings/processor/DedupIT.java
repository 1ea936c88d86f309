package com.personasettings.processor;

import com.personasettings.processor.db.Repository;
import com.personasettings.schemas.CommandOutcome;
import com.personasettings.schemas.InboundCommand;
import com.personasettings.schemas.ProvisionNumber;
import com.personasettings.schemas.Topics;
import com.personasettings.schemas.registry.SchemaRegistryClient;
import com.personasettings.testkit.KafkaBroker;
import com.personasettings.testkit.SharedInfrastructure;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static com.personasettings.processor.KafkaClients.header;
import static com.personasettings.processor.TestCommands.PERSONA;
import static com.personasettings.processor.TestCommands.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A command id seen again after it left the state store's dedup window is still recognised: by the database,
 * at commit. Here the window is one second, so every repeat takes that path.
 */
class DedupIT {

    private static final Duration WINDOW = Duration.ofSeconds(1);

    private static KafkaBroker kafka;
    private static Repository repository;
    private static ProcessorApp processor;
    private static KafkaProducer<String, InboundCommand> producer;
    private static KafkaClients.TopicReader<CommandOutcome> replies;
    private static KafkaClients.TopicReader<byte[]> deadLetters;

    private final TestCommands commands = new TestCommands();

    @BeforeAll
    static void start() {
        kafka = KafkaBroker.start(SharedInfrastructure.workDir().resolve("dedup-it"));
        SchemaRegistryClient registry = new SchemaRegistryClient(SharedInfrastructure.registry().url());
        String database = SharedInfrastructure.postgres().createDatabase("dedup_it");
        processor = ProcessorApp.start(ProcessorConfig.from(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                "SCHEMA_REGISTRY_URL", registry.baseUrl(),
                "DATABASE_URL", database,
                "PROCESSOR_HTTP_PORT", "0", "PROCESSOR_STATE_DIR", SharedInfrastructure.workDir().resolve("dedup-it-state").toString(),
                "PROCESSOR_DEDUP_WINDOW_MS", Long.toString(WINDOW.toMillis()),
                // One partition: every number shares it, so a reused id is always seen by the same task.
                "TOPIC_PARTITIONS", "1")));
        repository = TestDatabase.repository(database);
        await().atMost(Duration.ofSeconds(60)).until(() -> processor.streams().state() == KafkaStreams.State.RUNNING);
        producer = KafkaClients.commandProducer(kafka.bootstrapServers(), registry);
        replies = KafkaClients.outcomes(kafka.bootstrapServers(), registry, Topics.REPLIES);
        deadLetters = KafkaClients.raw(kafka.bootstrapServers(), Topics.COMMANDS_DLQ);
    }

    @AfterAll
    static void stop() throws Exception {
        deadLetters.close();
        replies.close();
        producer.close();
        processor.close();
        kafka.close();
    }

    @Test
    void aRepeatFromBeyondTheWindowIsAnsweredWithItsFirstOutcomeAndChangesNothing() {
        String phone = "+14155556000";
        producer.send(KafkaClients.record(commands.provision(phone, 6000), null, null));
        producer.send(KafkaClients.record(commands.attach(phone, PERSONA), null, null));
        InboundCommand update = commands.update(phone, PERSONA, settings("first", 1L, "node"));
        producer.send(KafkaClients.record(update, Topics.REPLIES, "first"));
        CommandOutcome first = awaitReply("first");
        producer.send(KafkaClients.record(commands.update(phone, PERSONA, settings("later", 2L, null)), Topics.REPLIES, "later"));
        awaitReply("later");
        awaitWindowPassed();

        producer.send(KafkaClients.record(update, Topics.REPLIES, "repeat"));

        assertThat(awaitReply("repeat")).isEqualTo(first);
        assertThat(first.getData().getLabel()).isEqualTo("line 6000");
        assertThat(repository.numbers().find(phone).orElseThrow().personaSettings()).contains("later");
        assertThat(TestDatabase.outcomeRowsFor(repository, phone)).isEqualTo(4);
    }

    @Test
    void anIdReusedForAnotherNumberFromBeyondTheWindowIsDeadLettered() {
        String phone = "+14155556100";
        InboundCommand provision = commands.provision(phone, 6100);
        producer.send(KafkaClients.record(provision, Topics.REPLIES, "provision-6100"));
        awaitReply("provision-6100");
        awaitWindowPassed();

        InboundCommand reuse = new InboundCommand(provision.getCommandId(), provision.getOrgId(), Instant.now(),
                "test", "+14155556101", provision.getPayload());
        producer.send(KafkaClients.record(reuse, Topics.REPLIES, "reuse"));
        producer.send(KafkaClients.record(commands.provision("+14155556102", 6102), Topics.REPLIES, "after-reuse"));

        assertThat(awaitReply("after-reuse").getErrors()).isNull();
        List<ConsumerRecord<String, byte[]>> dead = await().atMost(Duration.ofSeconds(30))
                .until(() -> deadLetters.matching(r -> "+14155556101".equals(r.key())), list -> !list.isEmpty());
        assertThat(header(dead.get(0), Topics.DLQ_REASON_HEADER)).isEqualTo("REUSED_COMMAND_ID");
        assertThat(repository.numbers().find("+14155556101")).isEmpty();
    }

    @Test
    void aCommandRefusedForAnOrgThatIsNotAUuidIsAnsweredAgainFromBeyondTheWindowAndItsIdIsNotAnotherOrgs() {
        String phone = "+14155556200";
        InboundCommand noOrg = commands.command("acme", phone, new ProvisionNumber(6200L, "x"));
        producer.send(KafkaClients.record(noOrg, Topics.REPLIES, "no-org"));
        CommandOutcome first = awaitReply("no-org");
        awaitWindowPassed();

        // Its row holds a null org (the column is uuid): the repeat is recognised by the database all the same,
        producer.send(KafkaClients.record(noOrg, Topics.REPLIES, "no-org-repeat"));
        // and a real org's command with the same id is not taken for a repeat of it.
        InboundCommand reuse = new InboundCommand(noOrg.getCommandId(), TestCommands.ORG, Instant.now(), "test", phone,
                noOrg.getPayload());
        producer.send(KafkaClients.record(reuse, Topics.REPLIES, "no-org-reuse"));

        assertThat(first.getErrors()).singleElement().satisfies(error -> assertThat(error.getError()).isEqualTo("INVALID_REQUEST"));
        assertThat(awaitReply("no-org-repeat")).isEqualTo(first);
        List<ConsumerRecord<String, byte[]>> dead = await().atMost(Duration.ofSeconds(30))
                .until(() -> deadLetters.matching(r -> phone.equals(r.key())), list -> !list.isEmpty());
        assertThat(header(dead.get(0), Topics.DLQ_REASON_HEADER)).isEqualTo("REUSED_COMMAND_ID");
        assertThat(repository.outcomes().find(noOrg.getCommandId()).orElseThrow().orgId()).isNull();
        assertThat(TestDatabase.outcomeRowsFor(repository, phone)).isEqualTo(1);
        assertThat(repository.numbers().find(phone)).isEmpty();
    }

    /** Wall-clock time is what ages the window: wait until the last outcome is older than it. */
    private static void awaitWindowPassed() {
        Instant passed = Instant.now().plus(WINDOW).plusMillis(100);
        await().atMost(WINDOW.multipliedBy(3)).until(() -> Instant.now().isAfter(passed));
    }

    private static CommandOutcome awaitReply(String correlationId) {
        return await().atMost(Duration.ofSeconds(60)).until(
                () -> replies.matching(r -> correlationId.equals(header(r, Topics.CORRELATION_ID_HEADER))),
                list -> !list.isEmpty()).get(0).value();
    }
}
