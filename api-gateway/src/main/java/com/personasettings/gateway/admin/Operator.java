package com.personasettings.gateway.admin;

import com.personasettings.gateway.auth.ApiKeys;
import com.personasettings.gateway.db.AccountsDao;
import com.personasettings.gateway.db.GatewayDatabase;
import com.personasettings.gateway.kafka.CommandPublisher;
import com.personasettings.schemas.InboundCommand;
import com.personasettings.schemas.ProvisionNumber;
import com.personasettings.schemas.ReleaseNumber;
import com.personasettings.schemas.rules.FieldRules;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * What an operator does that has no public endpoint: orgs, API keys, and numbers entering or leaving an
 * org. Provision and release are commands on the commands topic like every other change.
 */
public final class Operator {

    private static final String ACTOR = "operator";

    private final GatewayDatabase db;
    private final ApiKeys keys;
    private final CommandPublisher publisher;
    private final Clock clock;

    public Operator(GatewayDatabase db, CommandPublisher publisher, Clock clock) {
        this.db = db;
        this.keys = new ApiKeys(db.accounts(), ApiKeys.DEFAULT_CHECK);
        this.publisher = publisher;
        this.clock = clock;
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
     */
    public CompletableFuture<InboundCommand> provision(UUID orgId, String phoneNumber, String label, Long id) {
        String problem = FieldRules.firstOf(FieldRules.e164("phone_number", phoneNumber),
                FieldRules.optionalText("label", label));
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        long numberId = id != null ? id : db.accounts().nextNumberId();
        return send(orgId.toString(), phoneNumber, new ProvisionNumber(numberId, label));
    }

    /** Sends the release command for a number, on behalf of the org that holds it. */
    public CompletableFuture<InboundCommand> release(String phoneNumber) {
        Optional<UUID> org = db.numbers().orgOf(phoneNumber);
        if (org.isEmpty()) {
            throw new IllegalArgumentException(phoneNumber + " is not provisioned");
        }
        return send(org.get().toString(), phoneNumber, new ReleaseNumber());
    }

    private CompletableFuture<InboundCommand> send(String orgId, String phoneNumber, Object payload) {
        InboundCommand command = InboundCommand.newBuilder()
                .setCommandId(UUID.randomUUID())
                .setOrgId(orgId)
                .setIssuedAt(Instant.now(clock).truncatedTo(ChronoUnit.MILLIS))
                .setActor(ACTOR)
                .setPhoneNumber(phoneNumber)
                .setPayload(payload)
                .build();
        return publisher.publish(command).thenApply(sent -> command);
    }
}
