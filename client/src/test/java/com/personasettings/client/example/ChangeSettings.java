package com.personasettings.client.example;

import com.personasettings.client.Outcome;
import com.personasettings.client.PersonaClient;
import com.personasettings.client.Settings;

import java.time.Duration;
import java.util.UUID;

/**
 * Another service changing a number's settings through Kafka, with nothing but the client artifact on its class path
 * (SeparateJvmIT runs it so; the README shows this code).
 *
 * <p>Arguments: bootstrap servers, schema registry URL, org id, persona id, phone number, start node id.
 */
public final class ChangeSettings {

    public static void main(String[] args) throws Exception {
        UUID orgId = UUID.fromString(args[2]);
        UUID personaId = UUID.fromString(args[3]);
        String phoneNumber = args[4];

        try (PersonaClient client = PersonaClient.builder()
                .bootstrapServers(args[0])
                .schemaRegistryUrl(args[1])
                .serviceName("scheduler")               // actor of its commands; replies on persona.inbound.replies.scheduler
                .replyTimeout(Duration.ofSeconds(10))
                .build()) {
            Outcome outcome = client.updateSettings(orgId, personaId, phoneNumber,
                    new Settings("pathway_abc123", 2L, args[5])).get();
            if (outcome.succeeded()) {
                System.out.println("updated " + outcome.number().phoneNumber() + ": " + outcome.number().settings());
            } else {
                System.out.println("refused " + outcome.refusal().code() + ": " + outcome.refusal().message());
                System.exit(1);
            }
        }
    }
}
