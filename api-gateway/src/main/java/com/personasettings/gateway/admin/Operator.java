package com.personasettings.gateway.admin;

import com.personasettings.client.Command;
import com.personasettings.client.PersonaClient;
import com.personasettings.client.SentCommand;
import com.personasettings.gateway.auth.ApiKeys;
import com.personasettings.gateway.db.AccountsDao;
import com.personasettings.gateway.db.GatewayDatabase;
import com.personasettings.schemas.rules.FieldRules;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * What an operator does that has no public endpoint: orgs, API keys, and numbers entering or leaving an
 * org. Provision and release are commands on the commands topic like every other change, sent through the
 * {@link PersonaClient} another service would use.
 */
public final class Operator {

    /** The actor of operator commands, and the suffix of their reply topic. */
    public static final String SERVICE_NAME = "operator";

    private final GatewayDatabase db;
    private final ApiKeys keys;
    private final PersonaClient client;

    /**
     * @param client what provision and release send with ({@link #client}); null for a caller that only manages orgs
     *               and keys (it then needs no broker)
     */
    public Operator(GatewayDatabase db, PersonaClient client) {
        this.db = db;
        this.keys = new ApiKeys(db.accounts(), ApiKeys.DEFAULT_CHECK);
        this.client = client;
    }

    /** The client operator commands go through: actor {@value #SERVICE_NAME}, replies on its own topic. */
    public static PersonaClient client(String bootstrapServers, String schemaRegistryUrl) {
        return client(bootstrapServers, schemaRegistryUrl, Map.of());
    }

    /** @param kafkaProperties passed unchanged to the client's producer, consumer and admin (security settings) */
    public static PersonaClient client(String bootstrapServers, String schemaRegistryUrl, Map<String, ?> kafkaProperties) {
        return PersonaClient.builder()
                .bootstrapServers(bootstrapServers)
                .schemaRegistryUrl(schemaRegistryUrl)
                .serviceName(SERVICE_NAME)
                .kafkaProperties(kafkaProperties)
                .build();
    }

    public UUID createOrg(String name) {
        UUID id = UUID.randomUUID();
        db.accounts().insertOrg(id, name);
        return id;
    }

    /** @return the new key, in clear for the only time */
    public String createKey(UUID orgId) {
        return createKey(orgId, null, null).key();
    }

    /**
     * @param label     what the key is for (the value rules apply), or null
     * @param expiresAt when it stops working by itself, or null for never
     */
    public ApiKeys.NewKey createKey(UUID orgId, String label, Instant expiresAt) {
        if (!db.accounts().orgExists(orgId)) {
            throw new IllegalArgumentException("no org " + orgId);
        }
        String problem = FieldRules.optionalText("label", label);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return keys.create(orgId, label, expiresAt);
    }

    /** The org's keys, oldest first; never the keys themselves. */
    public List<AccountsDao.KeyInfo> keys(UUID orgId) {
        if (!db.accounts().orgExists(orgId)) {
            throw new IllegalArgumentException("no org " + orgId);
        }
        return db.accounts().keys(orgId);
    }

    /**
     * Revokes a key: gateways refuse it once their cached lookup of it is checked again, within
     * GATEWAY_KEY_CHECK_MS (plus one database round trip).
     */
    public void revokeKey(UUID keyId) {
        if (db.accounts().revokeKey(keyId) == 0) {
            throw new IllegalArgumentException("no key " + keyId + " that is not revoked already");
        }
    }

    /**
     * Sends the provisioning command. The number's id is {@code id} when given, otherwise the next value of
     * the {@code inbound_number_ids} sequence (drawn now, never while processing).
     *
     * @return its futures: {@code written} when the broker has it, {@code outcome} when the processor decided
     */
    public SentCommand provision(UUID orgId, String phoneNumber, String label, Long id) {
        String problem = FieldRules.firstOf(FieldRules.e164("phone_number", phoneNumber),
                FieldRules.optionalText("label", label));
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        long numberId = id != null ? id : db.accounts().nextNumberId();
        return send(Command.provision(orgId, phoneNumber, numberId, label));
    }

    /** Sends the release command for a number, on behalf of the org that holds it. */
    public SentCommand release(String phoneNumber) {
        Optional<UUID> org = db.numbers().orgOf(phoneNumber);
        if (org.isEmpty()) {
            throw new IllegalArgumentException(phoneNumber + " is not provisioned");
        }
        return send(Command.release(org.get(), phoneNumber));
    }

    private SentCommand send(Command command) {
        if (client == null) {
            throw new IllegalStateException("this Operator was made without a client: it cannot send commands");
        }
        return client.send(command);
    }
}
