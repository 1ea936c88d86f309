package com.personasettings.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.personasettings.schemas.InboundCommand;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;

/** The registry client against a real registry (Apicurio's Confluent-compatible API). */
class SchemaRegistryClientTest {

    private static final Schema V1 = SchemaBuilder.record("Thing").namespace("test.registry").fields()
            .requiredString("name")
            .endRecord();
    /** V1 plus a field with a default: BACKWARD compatible with V1. */
    private static final Schema V2_WITH_DEFAULT = SchemaBuilder.record("Thing").namespace("test.registry").fields()
            .requiredString("name")
            .name("size").type().intType().intDefault(1)
            .endRecord();
    /** V1 plus a field without a default: a V2 reader cannot read V1 data, so not BACKWARD compatible. */
    private static final Schema V2_WITHOUT_DEFAULT = SchemaBuilder.record("Thing").namespace("test.registry").fields()
            .requiredString("name")
            .requiredInt("size")
            .endRecord();

    private final SchemaRegistryClient client = TestRegistry.newClient();

    @Test
    void registersOnceAndAnswersRepeatsFromTheCache() {
        String subject = TestRegistry.uniqueTopic("client") + "-value";

        int id = client.register(subject, V1);
        assertThat(client.requestCount()).isEqualTo(1);
        assertThat(client.register(subject, V1)).isEqualTo(id);
        // an equal but separately built schema hits the cache too
        assertThat(client.register(subject, new Schema.Parser().parse(V1.toString()))).isEqualTo(id);
        assertThat(client.requestCount()).isEqualTo(1);

        // the registry itself knows the id: clients with empty caches look it up, once
        SchemaRegistryClient other = TestRegistry.newClient();
        assertThat(other.getId(subject, V1)).isEqualTo(id);
        assertThat(other.getId(subject, V1)).isEqualTo(id);
        assertThat(other.requestCount()).isEqualTo(1);
        SchemaRegistryClient third = TestRegistry.newClient();
        assertThat(third.getById(id)).isEqualTo(V1);
        assertThat(third.getById(id)).isEqualTo(V1);
        assertThat(third.requestCount()).isEqualTo(1);
    }

    @Test
    void getByIdAfterRegisterNeedsNoRequest() {
        int id = client.register(TestRegistry.uniqueTopic("client") + "-value", V1);

        assertThat(client.getById(id)).isEqualTo(V1);
        assertThat(client.requestCount()).isEqualTo(1);
    }

    @Test
    void registersTheGeneratedSchemasOfTheContract() {
        String subject = TestRegistry.uniqueTopic("client") + "-value";
        int id = client.register(subject, InboundCommand.getClassSchema());

        assertThat(TestRegistry.newClient().getById(id)).isEqualTo(InboundCommand.getClassSchema());
    }

    @Test
    void unknownSchemaIdIsNotFound() {
        SchemaRegistryException e = catchThrowableOfType(SchemaRegistryException.class,
                () -> client.getById(987_654_321));

        assertThat(e.status()).isEqualTo(404);
        assertThat(e.isNotFound()).isTrue();
        assertThat(e.errorCode()).isEqualTo(40403); // Confluent's "schema not found"
        assertThat(e.getMessage()).contains("GET ", "/schemas/ids/987654321", "404");
    }

    @Test
    void lookingUpAnUnregisteredSchemaIsNotFound() {
        String subject = TestRegistry.uniqueTopic("client") + "-value";

        assertThatThrownBy(() -> client.getId(subject, V1))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.status()).isEqualTo(404));
    }

    @Test
    void backwardCompatibilityRejectsAFieldWithoutDefault() {
        String subject = TestRegistry.uniqueTopic("client") + "-value";
        int v1 = client.register(subject, V1);
        client.setCompatibility(subject, "BACKWARD");

        assertThat(client.isCompatible(subject, V2_WITHOUT_DEFAULT)).isFalse();
        assertThat(client.isCompatible(subject, V2_WITH_DEFAULT)).isTrue();

        SchemaRegistryException rejected = catchThrowableOfType(SchemaRegistryException.class,
                () -> client.register(subject, V2_WITHOUT_DEFAULT));
        assertThat(rejected.status()).isEqualTo(409); // Confluent and Apicurio both answer 409 Conflict
        assertThat(rejected.getMessage()).contains(subject);

        int v2 = client.register(subject, V2_WITH_DEFAULT);
        assertThat(v2).isNotEqualTo(v1);

        // the refusal was not cached: once the rule allows it, the same client registers the schema
        client.setCompatibility(subject, "NONE");
        assertThat(client.register(subject, V2_WITHOUT_DEFAULT)).isNotIn(v1, v2);
    }

    @Test
    void compatibilityNoneAcceptsAnything() {
        String subject = TestRegistry.uniqueTopic("client") + "-value";
        client.register(subject, V1);
        // Apicurio stores NONE as "no rule" and answers 404 to NONE on a subject that has no rule yet
        client.setCompatibility(subject, "BACKWARD");
        client.setCompatibility(subject, "NONE");

        assertThat(client.isCompatible(subject, V2_WITHOUT_DEFAULT)).isTrue();
        assertThat(client.register(subject, V2_WITHOUT_DEFAULT)).isPositive();
    }

    @Test
    void aSubjectWithoutVersionsAcceptsAnything() {
        assertThat(client.isCompatible(TestRegistry.uniqueTopic("client") + "-value", V2_WITHOUT_DEFAULT)).isTrue();
    }

    @Test
    void aWrongBaseUrlIsAnErrorNotCompatible() {
        SchemaRegistryClient wrong = new SchemaRegistryClient(TestRegistry.url() + "/no/such/api");

        assertThatThrownBy(() -> wrong.isCompatible("any-value", V1)).isInstanceOf(SchemaRegistryException.class);
    }

    @Test
    void subjectsAreUrlEncoded() {
        String subject = "odd subject/with?chars&" + TestRegistry.uniqueTopic("x") + "-value";
        int id = client.register(subject, V1);

        assertThat(TestRegistry.newClient().getId(subject, V1)).isEqualTo(id);
    }

    @Test
    void aTrailingSlashInTheBaseUrlIsIgnored() {
        SchemaRegistryClient slashed = new SchemaRegistryClient(TestRegistry.url() + "/");

        assertThat(slashed.baseUrl()).isEqualTo(TestRegistry.url());
        assertThat(slashed.register(TestRegistry.uniqueTopic("client") + "-value", V1)).isPositive();
    }

    @Test
    void anUnreachableRegistryIsANoResponseError() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        SchemaRegistryClient unreachable = new SchemaRegistryClient("http://127.0.0.1:" + closedPort);

        SchemaRegistryException e = catchThrowableOfType(SchemaRegistryException.class, () -> unreachable.getById(1));
        assertThat(e.status()).isEqualTo(SchemaRegistryException.NO_RESPONSE);
        assertThat(unreachable.requestCount()).isEqualTo(1);
    }

    @Test
    void aRegistryThatNeverAnswersTimesOut() throws IOException {
        // accepts the connection (the backlog does it) but never answers
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            SchemaRegistryClient client = new SchemaRegistryClient(
                    "http://127.0.0.1:" + silent.getLocalPort(), Duration.ofMillis(300));
            long start = System.nanoTime();

            SchemaRegistryException e = catchThrowableOfType(SchemaRegistryException.class, () -> client.getById(1));

            assertThat(e.status()).isEqualTo(SchemaRegistryException.NO_RESPONSE);
            assertThat(e.getCause()).hasMessageContaining("timed out");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void rejectsANonHttpUrl() {
        assertThatThrownBy(() -> new SchemaRegistryClient("localhost:8081"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
