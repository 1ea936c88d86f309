package com.personasettings.devlauncher;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The README's run command as a new user runs it ({@code ./persona-settings dev --demo}, here with a data
 * directory under target/ and ports of its own), then the README's requests, a clean stop, and a restart
 * that finds the data.
 */
class DevStackIT {

    private static final String SETTINGS = "/v1/personas/12345678-1234-1234-1234-123456789012/inbound/%2B14155551234/settings";

    @Test
    void theReadmeCommandRunsTheProductAnswersTheReadmeRequestsStopsCleanlyAndKeepsItsData() throws Exception {
        DevStack stack = DevStack.onFreePorts(Path.of("target", "devstack-it"));
        try {
            LauncherRun first = stack.start("--demo", "--fresh");
            try {
                String key = awaitReadyAndKey(first);

                var set = patch(stack, key, SETTINGS, "{\"persona_settings\": {\"pathway_id\": \"pathway_abc123\", \"pathway_version\": 2, \"start_node_id\": \"node_xyz\"}}");
                assertThat(set.statusCode()).isEqualTo(200);
                assertThat(set.body()).contains("\"id\":42", "\"persona_settings\":{\"pathway_id\":\"pathway_abc123\",\"pathway_version\":2,\"start_node_id\":\"node_xyz\"}");
                var cleared = patch(stack, key, SETTINGS, "{\"persona_settings\": null}");
                assertThat(cleared.statusCode()).isEqualTo(200);
                assertThat(cleared.body()).contains("\"persona_settings\":null");
                var notFound = patch(stack, key, SETTINGS.replace("4155551234", "4155559999"), "{\"persona_settings\": null}");
                assertThat(notFound.statusCode()).isEqualTo(404);
                assertThat(notFound.body()).isEqualTo("{\"data\":null,\"errors\":[{\"error\":\"INBOUND_NOT_FOUND\","
                        + "\"message\":\"Inbound number not found or not attached to this persona\"}]}");
                assertThat(patch(stack, key, SETTINGS, "{\"persona_settings\": {\"pathway_id\": \"kept\"}}").statusCode()).isEqualTo(200);
            } finally {
                stop(first);
            }
            // Nothing it started is left running: broker, registry and PostgreSQL all name the data directory.
            await().atMost(Duration.ofSeconds(30)).until(() -> stack.processes().isEmpty());

            LauncherRun second = stack.start("--demo");
            try {
                String key = awaitReadyAndKey(second);
                var persona = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + stack.httpPort() + "/v1/personas/12345678-1234-1234-1234-123456789012"))
                        .header("authorization", key).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(persona.body()).contains("\"persona_settings\":{\"pathway_id\":\"kept\"}");
                var again = patch(stack, key, SETTINGS, "{\"persona_settings\": null}");
                assertThat(again.statusCode()).isEqualTo(200);
                assertThat(again.body()).contains("\"id\":42");
            } finally {
                stop(second);
            }
        } finally {
            stack.killLeftovers();
        }
    }

    private static String awaitReadyAndKey(LauncherRun dev) {
        dev.awaitOutput("ready", Duration.ofMinutes(2));
        return dev.outputAfter("Demo API key:");
    }

    private static void stop(LauncherRun dev) throws InterruptedException {
        dev.sigterm(); // as Ctrl-C would
        assertThat(dev.process().waitFor(45, TimeUnit.SECONDS)).as("dev stopped").isTrue();
    }

    private static HttpResponse<String> patch(DevStack stack, String key, String path, String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + stack.httpPort() + path))
                .header("authorization", key)
                .method("PATCH", HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}
