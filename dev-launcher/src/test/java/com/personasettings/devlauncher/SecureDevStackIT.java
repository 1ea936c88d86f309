package com.personasettings.devlauncher;

import com.personasettings.gateway.kafka.CommandPublisher;
import com.personasettings.processor.ProcessorConfig;
import com.personasettings.schemas.CommandOutcome;
import com.personasettings.schemas.InboundCommand;
import com.personasettings.schemas.ReleaseNumber;
import com.personasettings.schemas.Topics;
import com.personasettings.schemas.UpdatePersonaSettings;
import com.personasettings.schemas.registry.AvroDeserializer;
import com.personasettings.schemas.registry.SchemaRegistryClient;
import com.personasettings.devstack.KafkaServer;
import com.personasettings.devstack.KafkaUser;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * {@code ./persona-settings dev --secure --demo} on a secured broker (SASL SCRAM-SHA-512, StandardAuthorizer, no ACL
 * no access): the gateway and the processor, each with its own principal, answer a PATCH end to end; the example
 * {@code service} principal can send a command and get its reply on a reply topic of its own, but cannot write a
 * topic it has no ACL for; the gateway cannot read the processor's changelog; a wrong password does not log in.
 */
class SecureDevStackIT {

    private static final String SETTINGS = "/v1/personas/" + Demo.PERSONA + "/inbound/%2B14155551234/settings";
    private static final String NUMBERS_CHANGELOG = ProcessorConfig.DEFAULT_APPLICATION_ID + "-numbers-changelog";

    @Test
    void eachPrincipalMayDoWhatItNeedsAndNothingElse() throws Exception {
        DevStack stack = DevStack.onFreePorts(Path.of("target", "secure-devstack-it"));
        try {
            LauncherRun dev = stack.start("--secure", "--demo", "--fresh");
            try {
                dev.awaitOutput("ready", Duration.ofMinutes(2));
                String key = dev.outputAfter("Demo API key:");
                String bootstrap = dev.outputAfter("Kafka bootstrap:");
                SchemaRegistryClient registry = new SchemaRegistryClient(dev.outputAfter("Schema registry:"));
                KafkaUser service = user(dev, KafkaAccess.SERVICE);
                KafkaUser gateway = user(dev, KafkaAccess.GATEWAY);
                KafkaUser operator = user(dev, KafkaAccess.OPERATOR);
                assertThat(dev.out()).anySatisfy(line -> assertThat(line).contains("KAFKA_SECURITY_PROTOCOL=SASL_PLAINTEXT",
                        "KAFKA_SASL_MECHANISM=SCRAM-SHA-512", "username=\"operator\""));

                // The full flow, secured: the demo set-up (operator), the gateway and the processor.
                var patched = send(stack, key, "PATCH", SETTINGS, "{\"persona_settings\": {\"start_node_id\": \"secured\"}}");
                assertThat(patched.statusCode()).isEqualTo(200);
                assertThat(patched.body()).contains("\"id\":42", "\"start_node_id\":\"secured\"");
                // Readiness asks the broker for its nodes: no cluster ACL needed.
                assertThat(send(stack, key, "GET", "/health/ready", null).statusCode()).isEqualTo(200);

                theAdminCliProvisionsAsTheOperator(stack, bootstrap, dev.outputAfter("Schema registry:"), operator);
                serviceSendsACommandAndReadsItsReply(bootstrap, registry, service);
                serviceCannotReleaseANumber(stack, bootstrap, registry, service);
                serviceCannotWriteTopicsItHasNoAclFor(bootstrap, service);
                gatewayCannotReadTheProcessorsChangelog(stack, bootstrap, gateway);
                aWrongPasswordDoesNotLogIn(bootstrap);
            } finally {
                dev.sigterm();
                assertThat(dev.process().waitFor(45, TimeUnit.SECONDS)).as("dev stopped").isTrue();
            }
        } finally {
            stack.killLeftovers();
        }
    }

    /** {@code ./persona-settings admin} with the operator's settings, as the export line dev printed gives them. */
    private static void theAdminCliProvisionsAsTheOperator(DevStack stack, String bootstrap, String registryUrl,
                                                           KafkaUser operator) throws Exception {
        Map<String, String> environment = new HashMap<>(operator.environment());
        environment.putAll(Map.of("KAFKA_BOOTSTRAP_SERVERS", bootstrap, "SCHEMA_REGISTRY_URL", registryUrl,
                "DATABASE_URL", stack.jdbcUrl(), "DATABASE_USER", "postgres"));
        List<String> created = admin(environment, "create-org", "Secured");
        String org = created.get(created.size() - 1);
        assertThat(admin(environment, "provision", org, "+14155550199")).singleElement()
                .satisfies(line -> assertThat(line).startsWith("+14155550199 "));
        // The processor took the operator's command: the number is the org's.
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            try (var connection = java.sql.DriverManager.getConnection(stack.jdbcUrl(), "postgres", "");
                 var statement = connection.prepareStatement("select count(*) from inbound_numbers where org_id = ?")) {
                statement.setObject(1, UUID.fromString(org));
                try (var rows = statement.executeQuery()) {
                    rows.next();
                    return rows.getLong(1) == 1;
                }
            }
        });
    }

    private static List<String> admin(Map<String, String> environment, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", "persona-settings", "admin"));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).directory(Path.of("..").toAbsolutePath().normalize().toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().putAll(environment);
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(out).isZero();
        return out.lines().toList();
    }

    private static void serviceSendsACommandAndReadsItsReply(String bootstrap, SchemaRegistryClient registry,
                                                             KafkaUser service) throws Exception {
        String replyTopic = Topics.REPLIES + ".service-it";
        try (Admin admin = Admin.create(service.client(bootstrap))) {
            admin.createTopics(List.of(new NewTopic(replyTopic, Optional.of(1), Optional.empty()))).all()
                    .get(30, TimeUnit.SECONDS);
        }
        // Another org's number: the processor answers INBOUND_NOT_FOUND, on the service's own reply topic.
        InboundCommand command = InboundCommand.newBuilder()
                .setCommandId(UUID.randomUUID()).setOrgId(UUID.randomUUID().toString())
                .setIssuedAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
                .setActor("service:secure-it").setPhoneNumber(Demo.NUMBER)
                .setPayload(new UpdatePersonaSettings(Demo.PERSONA, null)).build();
        try (CommandPublisher publisher = new CommandPublisher(service.client(bootstrap), registry, replyTopic, null)) {
            assertThat(publisher.publish(command).get(30, TimeUnit.SECONDS).topic()).isEqualTo(Topics.COMMANDS);
        }
        List<CommandOutcome> received = readReplies(bootstrap, registry, service, replyTopic, outcome -> true);
        assertThat(received.get(0).getCommandId()).isEqualTo(command.getCommandId());
        assertThat(received.get(0).getErrors()).singleElement()
                .satisfies(error -> assertThat(error.getError()).isEqualTo("INBOUND_NOT_FOUND"));
    }

    /**
     * A ReleaseNumber of the demo org's number, written by the service to the public commands topic it may write:
     * dead-lettered (OPERATOR_ONLY), the number stays. A settings change sent after it, in the same partition, tells
     * when it was processed.
     */
    private static void serviceCannotReleaseANumber(DevStack stack, String bootstrap, SchemaRegistryClient registry,
                                                    KafkaUser service) throws Exception {
        String org = demoOrg(stack);
        String replyTopic = Topics.REPLIES + ".service-it";
        InboundCommand release = InboundCommand.newBuilder()
                .setCommandId(UUID.randomUUID()).setOrgId(org)
                .setIssuedAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
                .setActor("service:secure-it").setPhoneNumber(Demo.NUMBER)
                .setPayload(new ReleaseNumber()).build();
        InboundCommand after = InboundCommand.newBuilder()
                .setCommandId(UUID.randomUUID()).setOrgId(org)
                .setIssuedAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
                .setActor("service:secure-it").setPhoneNumber(Demo.NUMBER)
                .setPayload(new UpdatePersonaSettings(Demo.PERSONA, null)).build();
        try (CommandPublisher publisher = new CommandPublisher(service.client(bootstrap), registry, replyTopic, null)) {
            publisher.publish(release).get(30, TimeUnit.SECONDS);
            publisher.publish(after).get(30, TimeUnit.SECONDS);
        }
        List<CommandOutcome> replies = readReplies(bootstrap, registry, service, replyTopic,
                outcome -> outcome.getCommandId().equals(after.getCommandId()));
        assertThat(replies).noneSatisfy(outcome -> assertThat(outcome.getCommandId()).isEqualTo(release.getCommandId()));
        assertThat(replies).filteredOn(outcome -> outcome.getCommandId().equals(after.getCommandId())).singleElement()
                .satisfies(outcome -> assertThat(outcome.getData().getPersonaId()).isEqualTo(Demo.PERSONA));
        assertThat(demoOrg(stack)).as("still the demo org's").isEqualTo(org);
    }

    private static String demoOrg(DevStack stack) throws Exception {
        try (var connection = java.sql.DriverManager.getConnection(stack.jdbcUrl(), "postgres", "");
             var statement = connection.prepareStatement(
                     "select org_id::text from inbound_numbers where phone_number = ? and not released")) {
            statement.setString(1, Demo.NUMBER);
            try (var rows = statement.executeQuery()) {
                return rows.next() ? rows.getString(1) : null;
            }
        }
    }

    /** The replies on the service's reply topic, from its start, once one satisfies {@code last}. */
    private static List<CommandOutcome> readReplies(String bootstrap, SchemaRegistryClient registry, KafkaUser service,
                                                    String replyTopic, java.util.function.Predicate<CommandOutcome> last) {
        Map<String, Object> config = new HashMap<>(service.client(bootstrap));
        config.put("isolation.level", "read_committed");
        config.put("auto.offset.reset", "earliest");
        try (KafkaConsumer<byte[], CommandOutcome> replies = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new AvroDeserializer<>(CommandOutcome.class, registry))) {
            replies.assign(List.of(new TopicPartition(replyTopic, 0)));
            replies.seekToBeginning(List.of(new TopicPartition(replyTopic, 0)));
            List<CommandOutcome> received = new ArrayList<>();
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                for (ConsumerRecord<byte[], CommandOutcome> record : replies.poll(Duration.ofMillis(500))) {
                    received.add(record.value());
                }
                return received.stream().anyMatch(last);
            });
            return received;
        }
    }

    private static void serviceCannotWriteTopicsItHasNoAclFor(String bootstrap, KafkaUser service) {
        Map<String, Object> config = new HashMap<>(service.client(bootstrap));
        config.put("max.block.ms", 30_000);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (String topic : List.of(Topics.OPERATOR, Topics.NUMBERS, NUMBERS_CHANGELOG)) {
                assertThatThrownBy(() -> producer.send(new ProducerRecord<>(topic, "+14155551234".getBytes(), new byte[1]))
                        .get(30, TimeUnit.SECONDS))
                        .as(topic)
                        .isInstanceOf(ExecutionException.class)
                        .hasCauseInstanceOf(TopicAuthorizationException.class);
            }
        }
    }

    private static void gatewayCannotReadTheProcessorsChangelog(DevStack stack, String bootstrap, KafkaUser gateway)
            throws Exception {
        // The changelog is there (the super user sees it): the refusal is the ACLs', not a missing topic.
        KafkaUser superUser = new KafkaUser(KafkaServer.SUPER_USER,
                Files.readString(stack.dataDir().resolve("kafka").resolve("super-user.password")).strip());
        try (Admin admin = Admin.create(superUser.client(bootstrap))) {
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).contains(NUMBERS_CHANGELOG);
        }
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(gateway.client(bootstrap),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(List.of(new TopicPartition(NUMBERS_CHANGELOG, 0)));
            consumer.seekToBeginning(consumer.assignment());
            // Polls until the broker's answer arrives: the refusal, or nothing for 30 s (which fails the test).
            assertThatThrownBy(() -> {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (System.nanoTime() < deadline) {
                    consumer.poll(Duration.ofMillis(500));
                }
            }).isInstanceOf(TopicAuthorizationException.class);
        }
    }

    private static void aWrongPasswordDoesNotLogIn(String bootstrap) {
        try (Admin intruder = Admin.create(new KafkaUser(KafkaAccess.SERVICE, "guessed").client(bootstrap))) {
            assertThatThrownBy(() -> intruder.describeCluster().nodes().get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(SaslAuthenticationException.class);
        }
    }

    /** A principal's credentials, from the JAAS line dev --secure printed for it. */
    private static KafkaUser user(LauncherRun dev, String name) {
        String jaas = dev.outputAfter("Kafka user " + name + ":");
        String password = jaas.substring(jaas.indexOf("password=\"") + "password=\"".length(), jaas.lastIndexOf('"'));
        KafkaUser user = new KafkaUser(name, password);
        assertThat(user.jaasConfig()).isEqualTo(jaas);
        return user;
    }

    private static HttpResponse<String> send(DevStack stack, String key, String method, String path, String body)
            throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + stack.httpPort() + path))
                .header("authorization", key)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}
