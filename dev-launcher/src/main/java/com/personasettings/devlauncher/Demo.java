package com.personasettings.devlauncher;

import com.personasettings.gateway.admin.Operator;
import com.personasettings.gateway.db.GatewayDatabase;
import com.personasettings.gateway.db.PersonaRow;

import javax.sql.DataSource;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Sets up what the README's examples use: the persona and number of Bland's reference page
 * ({@value #PERSONA}, {@value #NUMBER} with id 42) in a demo org, attached, and a fresh API key.
 * Numbers enter through provisioning commands and are attached through the HTTP API, like real ones.
 */
final class Demo {

    static final String PERSONA = "12345678-1234-1234-1234-123456789012";
    static final String NUMBER = "+14155551234";
    private static final List<String> MORE_NUMBERS = List.of("+14155550101", "+14155550102");

    private Demo() {
    }

    /** @return the demo org's new API key */
    static String setUp(DataSource dataSource, Operator operator, int httpPort) throws IOException, InterruptedException {
        GatewayDatabase db = new GatewayDatabase(dataSource);
        UUID persona = UUID.fromString(PERSONA);
        UUID org = db.personas().ownerOf(persona).orElse(null);
        if (org == null) { // first run on this data directory
            org = operator.createOrg("Demo");
            operator.provision(org, NUMBER, "Main line", 42L).written().join();
            for (String number : MORE_NUMBERS) {
                operator.provision(org, number, "Demo line", null).written().join();
            }
            Instant now = Instant.now();
            db.personas().insert(new PersonaRow(persona, org, "Demo persona", "Created by --demo", now, now));
        }
        String key = operator.createKey(org);
        awaitProvisioned(db, org);
        attachAll(httpPort, key);
        return key;
    }

    private static void awaitProvisioned(GatewayDatabase db, UUID org) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        List<String> all = new java.util.ArrayList<>(MORE_NUMBERS);
        all.add(NUMBER);
        while (db.numbers().ownedAmong(org, all).size() < all.size()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the demo numbers were not provisioned within 30 s");
            }
            Thread.sleep(100); // polling the processor's table while it records the provisioning
        }
    }

    private static void attachAll(int httpPort, String key) throws IOException, InterruptedException {
        String numbers = String.join("\", \"", MORE_NUMBERS);
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + httpPort + "/v1/personas/" + PERSONA + "/inbound/attach"))
                .header("authorization", key)
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"inbound_numbers\": [\"" + NUMBER + "\", \"" + numbers + "\"]}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("attaching the demo numbers failed: " + response.body());
        }
    }
}
