package com.personasettings.testkit;

import com.personasettings.devstack.FileTrees;
import com.personasettings.devstack.Postgres;
import com.personasettings.devstack.SchemaRegistryServer;

import java.nio.file.Path;

/**
 * One broker, one PostgreSQL and one schema registry per test JVM, started on first use and stopped when
 * the JVM exits. Tests isolate themselves with their own topics, databases and subjects.
 */
public final class SharedInfrastructure {

    private static KafkaBroker kafka;
    private static Postgres postgres;
    private static SchemaRegistryServer registry;

    private SharedInfrastructure() {
    }

    private static Path workDir;

    /**
     * Everything the test kit writes lives under the module's build folder, emptied once per JVM: a state
     * directory left by an earlier run would otherwise meet a brand-new broker and registry.
     */
    public static synchronized Path workDir() {
        if (workDir == null) {
            Path dir = Path.of("target", "testkit").toAbsolutePath();
            FileTrees.delete(dir);
            workDir = dir;
        }
        return workDir;
    }

    public static synchronized KafkaBroker kafka() {
        if (kafka == null) {
            kafka = KafkaBroker.start(workDir().resolve("kafka"));
            closeOnExit(kafka);
        }
        return kafka;
    }

    public static synchronized Postgres postgres() {
        if (postgres == null) {
            postgres = Postgres.start(workDir().resolve("postgres"));
            closeOnExit(postgres);
        }
        return postgres;
    }

    public static synchronized SchemaRegistryServer registry() {
        if (registry == null) {
            registry = SchemaRegistryServer.start(SchemaRegistryServer.locateAppJar(), workDir().resolve("registry"));
            closeOnExit(registry);
        }
        return registry;
    }

    private static void closeOnExit(AutoCloseable resource) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                resource.close();
            } catch (Exception e) {
                System.err.println("could not stop " + resource + ": " + e);
            }
        }));
    }
}
