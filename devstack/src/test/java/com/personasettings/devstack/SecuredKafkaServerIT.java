package com.personasettings.devstack;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The secured broker: SCRAM users log in, ACLs decide what they may do, nothing else is allowed, a wrong password
 * does not log in, and a restart keeps the super user's credential.
 */
class SecuredKafkaServerIT {

    @Test
    void usersLogInWithScramAndMayDoOnlyWhatTheirAclsAllow() throws Exception {
        Path dir = Path.of("target", "secured-kafka-it").toAbsolutePath();
        FileTrees.delete(dir);
        int port = freePortWithFreeNext();
        try (KafkaServer kafka = KafkaServer.openSecured(dir, port)) {
            assertThat(kafka.isSecured()).isTrue();
            try (Admin admin = kafka.admin()) {
                admin.createTopics(List.of(new NewTopic("allowed", 1, (short) 1), new NewTopic("other", 1, (short) 1)))
                        .all().get(30, TimeUnit.SECONDS);
            }
            KafkaUser alice = kafka.createUsers(List.of("alice")).get("alice");
            kafka.grant(List.of(new AclBinding(new ResourcePattern(ResourceType.TOPIC, "allowed", PatternType.LITERAL),
                    new AccessControlEntry(alice.principal(), "*", AclOperation.WRITE, AclPermissionType.ALLOW))));

            try (KafkaProducer<String, String> producer = producer(alice.client(kafka.bootstrapServers()))) {
                assertThat(producer.send(new ProducerRecord<>("allowed", "k", "v")).get(30, TimeUnit.SECONDS).offset())
                        .isZero();
                assertThatThrownBy(() -> producer.send(new ProducerRecord<>("other", "k", "v")).get(30, TimeUnit.SECONDS))
                        .isInstanceOf(ExecutionException.class)
                        .hasCauseInstanceOf(TopicAuthorizationException.class);
            }
            Map<String, Object> wrong = new KafkaUser("alice", "not-her-password").client(kafka.bootstrapServers());
            try (Admin intruder = Admin.create(wrong)) {
                assertThatThrownBy(() -> intruder.describeCluster().nodes().get(30, TimeUnit.SECONDS))
                        .hasCauseInstanceOf(SaslAuthenticationException.class);
            }
            // Without credentials at all the broker does not even answer (it speaks SASL on that port).
            try (Admin anonymous = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers(),
                    "default.api.timeout.ms", 3_000, "request.timeout.ms", 1_000))) {
                assertThatThrownBy(() -> anonymous.createTopics(List.of(new NewTopic("anyone", 1, (short) 1)))
                        .all().get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
            }
        }
        // Reopened: the super user logs in with the password kept beside the log, and alice is still there.
        try (KafkaServer again = KafkaServer.openSecured(dir, port);
             Admin admin = again.admin()) {
            assertThat(admin.describeUserScramCredentials(List.of("alice")).all().get(30, TimeUnit.SECONDS))
                    .containsKey("alice");
        }
    }

    @Test
    void aLogCreatedWithoutSecurityIsRefusedBySecuredMode() throws Exception {
        Path dir = Path.of("target", "plain-then-secured-it").toAbsolutePath();
        FileTrees.delete(dir);
        int port = freePortWithFreeNext();
        try (KafkaServer plain = KafkaServer.open(dir, port)) {
            assertThat(plain.isSecured()).isFalse();
        }
        assertThatThrownBy(() -> KafkaServer.openSecured(dir, port))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("was created without security");
    }

    private static KafkaProducer<String, String> producer(Map<String, Object> client) {
        Map<String, Object> config = new HashMap<>(client);
        config.put("max.block.ms", 30_000);
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    private static int freePortWithFreeNext() throws IOException {
        for (int attempt = 0; attempt < 100; attempt++) {
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            try (ServerSocket next = new ServerSocket(port + 1)) {
                return port;
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IllegalStateException("no two free consecutive ports");
    }
}
