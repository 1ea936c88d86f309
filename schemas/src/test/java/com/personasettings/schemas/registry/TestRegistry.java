package com.personasettings.schemas.registry;

import com.personasettings.testkit.SharedInfrastructure;
import java.util.UUID;

/**
 * The registry the tests talk to: the test kit's Apicurio Registry, started once per test JVM and
 * shared by every test class (tests keep apart by using their own subjects). Set the system property
 * {@code test.schema.registry.url} to run the same tests against another registry, e.g. Confluent's.
 */
final class TestRegistry {

    private TestRegistry() {
    }

    static String url() {
        String url = System.getProperty("test.schema.registry.url");
        return url != null ? url : SharedInfrastructure.registry().url();
    }

    /** A client with empty caches and a request count of zero. */
    static SchemaRegistryClient newClient() {
        return new SchemaRegistryClient(url());
    }

    /** A topic name no other test uses, so its subjects start empty. */
    static String uniqueTopic(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }
}
