package com.personasettings.processor;

import com.personasettings.processor.replay.DatabaseComparison;
import com.personasettings.processor.replay.Progress;
import com.personasettings.processor.replay.ReplayRun;
import com.personasettings.processor.replay.StartPosition;
import com.personasettings.schemas.AttachToPersona;
import com.personasettings.schemas.DetachFromPersona;
import com.personasettings.schemas.InboundCommand;
import com.personasettings.schemas.PersonaSettings;
import com.personasettings.schemas.ProvisionNumber;
import com.personasettings.schemas.ReleaseNumber;
import com.personasettings.schemas.RetirePersona;
import com.personasettings.schemas.UpdatePersonaSettings;
import com.personasettings.schemas.Topics;
import com.personasettings.schemas.registry.SchemaRegistryClient;
import com.personasettings.testkit.KafkaBroker;
import com.personasettings.testkit.SharedInfrastructure;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Replay against the running system: a few thousand mixed commands through the live processor, then the log
 * replayed into other databases, which must match the live one row for row.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplayIT {

    private static final int NUMBERS = 80;
    private static final List<String> PERSONAS = List.of(TestCommands.PERSONA, TestCommands.OTHER_PERSONA,
            "11111111-2222-3333-4444-555555555555", "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee");

    private static KafkaBroker kafka;
    private static ProcessorApp processor;
    private static ProcessorConfig config;
    private static String liveUrl;
    private static KafkaProducer<String, InboundCommand> producer;
    private static KafkaProducer<byte[], byte[]> rawProducer;

    private static final TestCommands commands = new TestCommands();
    private static final Random random = new Random(20261128);
    private static final List<InboundCommand> sent = new ArrayList<>();
    private static final int PARTITIONS = 3;
    /** How many of {@link #PERSONAS} were retired so far. */
    private static int retired;

    @BeforeAll
    static void start() {
        kafka = KafkaBroker.start(SharedInfrastructure.workDir().resolve("replay-it"));
        SchemaRegistryClient registry = new SchemaRegistryClient(SharedInfrastructure.registry().url());
        liveUrl = SharedInfrastructure.postgres().createDatabase("replay_it");
        config = ProcessorConfig.from(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                "SCHEMA_REGISTRY_URL", registry.baseUrl(),
                "DATABASE_URL", liveUrl,
                "DATABASE_USER", com.personasettings.devstack.Postgres.USER,
                "PROCESSOR_HTTP_PORT", "0", "PROCESSOR_STATE_DIR", SharedInfrastructure.workDir().resolve("replay-it-state").toString(),
                "TOPIC_PARTITIONS", Integer.toString(PARTITIONS)));
        processor = ProcessorApp.start(config);
        await().atMost(Duration.ofSeconds(60)).until(() -> processor.streams().state() == KafkaStreams.State.RUNNING);
        producer = KafkaClients.commandProducer(kafka.bootstrapServers(), registry);
        rawProducer = KafkaClients.rawProducer(kafka.bootstrapServers());
    }

    @AfterAll
    static void stop() throws Exception {
        rawProducer.close();
        producer.close();
        processor.close();
        kafka.close();
    }

    @Test
    @Order(1)
    void aReplayFromTheBeginningRebuildsTheLiveTablesRowForRow() throws Exception {
        send(3_000);
        String target = SharedInfrastructure.postgres().createDatabase("replay_it_full");

        Run run = replay(StartPosition.beginning(), target);

        assertThat(run.status).as(run.output).isZero();
        assertThat(run.output).contains("Identical: " + String.format("%,d", liveRows("inbound_numbers").size())
                + " numbers");
        // Independently of the comparison the command uses: every column of every row, as JSON.
        assertThat(rows(target, "inbound_numbers", "phone_number")).isEqualTo(liveRows("inbound_numbers"))
                .hasSizeGreaterThan(NUMBERS / 4);
        List<String> outcomes = rows(target, "command_outcomes", "command_id, phone_number");
        assertThat(outcomes).isEqualTo(liveRows("command_outcomes"));
        // The mix really had every kind of command and outcome in it.
        String all = String.join("\n", outcomes);
        assertThat(all).contains("\"succeeded\":false", "INBOUND_NOT_FOUND", "INVALID_REQUEST",
                "\"command_type\":\"ReleaseNumber\"", "\"command_type\":\"DetachFromPersona\"",
                "\"command_type\":\"RetirePersona\"", "PERSONA_NOT_FOUND",
                "\"persona_settings\": null");
        assertThat(run.output).containsPattern("[1-9][0-9]* repeated ids, [1-9][0-9]* dead-lettered");
    }

    @Test
    @Order(2)
    void aReplayFromOffsetsContinuesADatabaseThatHoldsTheStateThere() throws Exception {
        String target = SharedInfrastructure.postgres().createDatabase("replay_it_resumed");
        Run first = replay(StartPosition.beginning(), target);
        assertThat(first.status).as(first.output).isZero();
        String reached = reached(first);

        send(1_000);
        Run rest = replay(StartPosition.offsets(reached), target);

        assertThat(rest.status).as(rest.output).isZero();
        assertThat(rest.output).contains("Identical");
        assertThat(rows(target, "inbound_numbers", "phone_number")).isEqualTo(liveRows("inbound_numbers"));
        assertThat(rows(target, "command_outcomes", "command_id, phone_number")).isEqualTo(liveRows("command_outcomes"));

        Run again = replay(StartPosition.offsets(reached), target);
        assertThat(again.status).isEqualTo(2);
        assertThat(again.output).contains("already holds outcomes of partition");
    }

    @Test
    @Order(3)
    void verificationReportsEveryRowThatDiffers() throws Exception {
        String target = SharedInfrastructure.postgres().createDatabase("replay_it_tampered");
        Run run = replay(StartPosition.beginning(), target);
        assertThat(run.status).isZero();
        Jdbi replayed = Jdbi.create(TestDatabase.dataSource(target));
        String changed = replayed.withHandle(h -> h.createQuery(
                "update inbound_numbers set label = 'tampered' where phone_number = (select min(phone_number)"
                        + " from inbound_numbers) returning phone_number").mapTo(String.class).one());
        String removed = replayed.withHandle(h -> h.createQuery(
                // One row: a reused command id has a row per number.
                "delete from command_outcomes where (command_id, phone_number) = (select command_id, phone_number"
                        + " from command_outcomes order by command_id, phone_number limit 1)"
                        + " returning command_id::text || ' ' || phone_number").mapTo(String.class).one());
        // The outcome itself: a success's result says another label (a later key than the removed row's, the first).
        List<String> relabelled = replayed.withHandle(h -> h.createQuery(
                "update command_outcomes set result = jsonb_set(result, '{label}', '\"tampered\"')"
                        + " where (command_id, phone_number) = (select command_id, phone_number from command_outcomes"
                        + " where succeeded order by source_partition, source_offset limit 1)"
                        + " returning command_id::text || ' ' || phone_number, result::text")
                .map((row, ctx) -> List.of(row.getString(1), row.getString(2))).one());

        List<DatabaseComparison.Difference> differences = new ArrayList<>();
        var summary = new DatabaseComparison(Jdbi.create(TestDatabase.dataSource(liveUrl)), replayed,
                endOffsets(run)).compare(differences::add);

        assertThat(summary.identical()).isFalse();
        assertThat(differences).extracting(DatabaseComparison.Difference::toString).containsExactly(
                "inbound_numbers " + changed + ": label is " + liveLabel(changed) + " in live, tampered in the replay",
                "command_outcomes " + removed + ": only in live",
                "command_outcomes " + relabelled.get(0) + ": result is " + liveResult(relabelled.get(0)) + " in live, "
                        + relabelled.get(1) + " in the replay");
    }

    @Test
    @Order(4)
    void aTargetThatRefusesRowsTheLiveDatabaseTookStopsTheReplayAndNamesTheRecords() throws Exception {
        String target = SharedInfrastructure.postgres().createDatabase("replay_it_refusing");
        com.personasettings.processor.db.Repository.migrate(TestDatabase.dataSource(target));
        Jdbi.create(TestDatabase.dataSource(target)).useHandle(h -> h.execute(
                "alter table command_outcomes add constraint no_releases check (command_type <> 'ReleaseNumber')"));

        Run run = replay(StartPosition.beginning(), target);

        assertThat(run.status).isEqualTo(2);
        assertThat(run.output).contains("the target database refuses the rows of").contains("SQLSTATE 23514")
                .contains("no_releases").containsPattern("\\[[0-9]+@[0-9]+ \\(SQLSTATE");
    }

    private record Run(int status, String output) {
    }

    private static Run replay(StartPosition from, String target) throws InterruptedException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        int status;
        try {
            status = new ReplayRun(from, target, true, Duration.ofSeconds(60)).run(config, out, Progress.none());
        } catch (IllegalStateException e) {
            out.println(e.getMessage());
            status = 2;
        }
        return new Run(status, bytes.toString(StandardCharsets.UTF_8));
    }

    /** The end offsets a replay printed, as {@code 0:n,1:m,...}. */
    private static String reached(Run run) {
        return run.output.lines().filter(l -> l.startsWith("Replayed up to")).findFirst().orElseThrow()
                .replaceAll(".* offsets ", "");
    }

    private static Map<Integer, Long> endOffsets(Run run) {
        return ((StartPosition.Offsets) StartPosition.offsets(reached(run))).offsets();
    }

    private static String liveLabel(String phone) {
        return Jdbi.create(TestDatabase.dataSource(liveUrl)).withHandle(h -> h.createQuery(
                "select label from inbound_numbers where phone_number = :p").bind("p", phone).mapTo(String.class).one());
    }

    /** @param key command id and phone number, as the comparison names a row */
    private static String liveResult(String key) {
        String[] parts = key.split(" ");
        return Jdbi.create(TestDatabase.dataSource(liveUrl)).withHandle(h -> h.createQuery(
                        "select result::text from command_outcomes where command_id = :id::uuid and phone_number = :p")
                .bind("id", parts[0]).bind("p", parts[1]).mapTo(String.class).one());
    }

    private static List<String> liveRows(String table) {
        return rows(liveUrl, table, table.equals("inbound_numbers") ? "phone_number" : "command_id, phone_number");
    }

    private static List<String> rows(String url, String table, String order) {
        return Jdbi.create(TestDatabase.dataSource(url)).withHandle(h -> h.createQuery(
                "select row_to_json(t)::text from " + table + " t order by " + order).mapTo(String.class).list());
    }

    /**
     * Sends {@code count} commands of every kind to random numbers of a small set, so that numbers are
     * provisioned, attached, changed, cleared, detached, re-attached and released many times over; with
     * invalid commands, commands of the wrong org or of an org_id that is not a UUID, exact retries, reused ids
     * and undecodable records.
     */
    private static void send(int count) {
        for (int i = 0; i < count; i++) {
            if (i == count / 2) {
                // Halfway, a persona is deleted: each partition detaches its numbers and refuses attaches from then.
                // The first send retires one, the second (after a replay's end) another.
                retire(PERSONAS.get(retired++));
            }
            String phone = String.format("+1415555%04d", random.nextInt(NUMBERS));
            String persona = PERSONAS.get(random.nextInt(PERSONAS.size()));
            int kind = random.nextInt(100);
            InboundCommand command;
            if (kind < 12) {
                command = commands.command(TestCommands.ORG, phone, new ProvisionNumber((long) random.nextInt(1_000_000),
                        "line " + i));
            } else if (kind < 17) {
                command = commands.command(TestCommands.ORG, phone, new ReleaseNumber());
            } else if (kind < 35) {
                command = commands.command(TestCommands.ORG, phone, new AttachToPersona(persona));
            } else if (kind < 43) {
                command = commands.command(TestCommands.ORG, phone, new DetachFromPersona(persona));
            } else if (kind < 75) {
                command = commands.command(TestCommands.ORG, phone, new UpdatePersonaSettings(persona, settings()));
            } else if (kind < 80) {
                command = commands.command(TestCommands.OTHER_ORG, phone, new UpdatePersonaSettings(persona, settings()));
            } else if (kind < 82) {
                command = commands.command(TestCommands.ORG, phone, new AttachToPersona("Not-A-Persona"));
            } else if (kind < 84) {
                command = commands.command("acme", phone, new AttachToPersona(persona));   // org_id not a UUID
            } else if (kind < 92 && !sent.isEmpty()) {
                command = sent.get(random.nextInt(sent.size()));          // the same command again: a retry
            } else if (kind < 95 && !sent.isEmpty()) {
                InboundCommand earlier = sent.get(random.nextInt(sent.size()));
                command = commands.command(TestCommands.ORG, phone, new DetachFromPersona(persona));
                command.setCommandId(earlier.getCommandId());         // a retry, or an id reused for another number
            } else if (kind < 97) {
                rawProducer.send(new ProducerRecord<>(Topics.COMMANDS, phone.getBytes(StandardCharsets.UTF_8),
                        ("not avro " + i).getBytes(StandardCharsets.UTF_8)));
                continue;
            } else {
                command = commands.command(TestCommands.ORG, phone, new UpdatePersonaSettings(persona, null));
            }
            sent.add(command);
            producer.send(KafkaClients.record(command, null, null));
        }
        producer.flush();
        rawProducer.flush();
    }

    private static void retire(String persona) {
        for (int partition = 0; partition < PARTITIONS; partition++) {
            InboundCommand command = commands.command(TestCommands.ORG, "", new RetirePersona(persona, partition));
            sent.add(command);
            producer.send(new ProducerRecord<>(Topics.COMMANDS, partition, "", command));
        }
    }

    private static PersonaSettings settings() {
        return switch (random.nextInt(4)) {
            case 0 -> null;                                                   // back to the persona's defaults
            case 1 -> new PersonaSettings("pathway_" + random.nextInt(5), (long) random.nextInt(4), null);
            case 2 -> new PersonaSettings(null, null, "node_" + random.nextInt(9));
            default -> new PersonaSettings("pathway_" + random.nextInt(5), null, "node_" + random.nextInt(9));
        };
    }
}
