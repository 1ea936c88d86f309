package com.personasettings.launcher;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The README's run command as a new user runs it ({@code ./persona-settings dev --demo}, here with a data
 * directory under target/), then the README's requests, a clean stop, and a restart that finds the data.
 */
class DevStackIT {

    private static final String SETTINGS = "/v1/personas/12345678-1234-1234-1234-123456789012/inbound/%2B14155551234/settings";

    private final Path dataDir = Path.of("target", "devstack-it").toAbsolutePath();

    @Test
    void theReadmeCommandRunsTheProductAnswersTheReadmeRequestsStopsCleanlyAndKeepsItsData() throws Exception {
        Dev first = Dev.start(dataDir, "--fresh");
        try {
            String key = first.awaitReadyAndKey();

            var set = patch(key, SETTINGS, "{\"persona_settings\": {\"pathway_id\": \"pathway_abc123\", \"pathway_version\": 2, \"start_node_id\": \"node_xyz\"}}");
            assertThat(set.statusCode()).isEqualTo(200);
            assertThat(set.body()).contains("\"id\":42", "\"persona_settings\":{\"pathway_id\":\"pathway_abc123\",\"pathway_version\":2,\"start_node_id\":\"node_xyz\"}");
            var cleared = patch(key, SETTINGS, "{\"persona_settings\": null}");
            assertThat(cleared.statusCode()).isEqualTo(200);
            assertThat(cleared.body()).contains("\"persona_settings\":null");
            var notFound = patch(key, SETTINGS.replace("4155551234", "4155559999"), "{\"persona_settings\": null}");
            assertThat(notFound.statusCode()).isEqualTo(404);
            assertThat(notFound.body()).isEqualTo("{\"data\":null,\"errors\":[{\"error\":\"INBOUND_NOT_FOUND\","
                    + "\"message\":\"Inbound number not found or not attached to this persona\"}]}");
            assertThat(patch(key, SETTINGS, "{\"persona_settings\": {\"pathway_id\": \"kept\"}}").statusCode()).isEqualTo(200);
        } finally {
            first.stop();
        }
        // Nothing it started is left running: broker, registry and PostgreSQL all name the data directory.
        await().atMost(Duration.ofSeconds(30)).until(() -> ProcessHandle.allProcesses()
                .noneMatch(p -> p.info().commandLine().orElse("").contains(dataDir.toString())));

        Dev second = Dev.start(dataDir);
        try {
            String key = second.awaitReadyAndKey();
            var persona = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://localhost:8080/v1/personas/12345678-1234-1234-1234-123456789012"))
                    .header("authorization", key).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(persona.body()).contains("\"persona_settings\":{\"pathway_id\":\"kept\"}");
            var again = patch(key, SETTINGS, "{\"persona_settings\": null}");
            assertThat(again.statusCode()).isEqualTo(200);
            assertThat(again.body()).contains("\"id\":42");
        } finally {
            second.stop();
        }
    }

    /** One run of the README's command. */
    private record Dev(Process process, List<String> output) {

        static Dev start(Path dataDir, String... extra) throws java.io.IOException {
            List<String> command = new java.util.ArrayList<>(List.of("bash", "persona-settings", "dev", "--demo",
                    "--data-dir", dataDir.toString()));
            command.addAll(List.of(extra));
            Process process = new ProcessBuilder(command)
                    .directory(Path.of("..").toAbsolutePath().normalize().toFile())
                    .redirectError(ProcessBuilder.Redirect.appendTo(Path.of("target", "devstack-it.log").toFile()))
                    .start();
            List<String> output = new CopyOnWriteArrayList<>();
            CompletableFuture.runAsync(() -> new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8)).lines().forEach(output::add));
            return new Dev(process, output);
        }

        String awaitReadyAndKey() {
            await().atMost(Duration.ofMinutes(2)).failFast("dev exited", () -> !process.isAlive())
                    .until(() -> output.contains("ready"));
            return output.stream().filter(l -> l.startsWith("Demo API key:")).findFirst().orElseThrow()
                    .substring("Demo API key:".length()).trim();
        }

        void stop() throws InterruptedException {
            process.destroy(); // SIGTERM, as Ctrl-C would
            assertThat(process.waitFor(45, TimeUnit.SECONDS)).as("dev stopped").isTrue();
        }
    }

    private static HttpResponse<String> patch(String key, String path, String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:8080" + path))
                .header("authorization", key)
                .method("PATCH", HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}
