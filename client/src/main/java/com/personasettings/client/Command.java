package com.personasettings.client;

import com.personasettings.schemas.AttachToPersona;
import com.personasettings.schemas.DetachFromPersona;
import com.personasettings.schemas.PersonaSettings;
import com.personasettings.schemas.ProvisionNumber;
import com.personasettings.schemas.ReleaseNumber;
import com.personasettings.schemas.Topics;
import com.personasettings.schemas.UpdatePersonaSettings;
import com.personasettings.schemas.rules.FieldRules;

import java.util.Objects;
import java.util.UUID;

/**
 * One change to one phone number, before it is sent: what {@link PersonaClient#send} takes. The values are checked
 * here by the rules the gateway and the processor apply ({@link FieldRules}), so a value the processor would refuse
 * as {@code INVALID_REQUEST} fails at once with {@link IllegalArgumentException} instead of reaching Kafka.
 */
public final class Command {

    private final String kind;
    private final UUID orgId;
    private final String phoneNumber;
    private final Object payload;
    private final String idempotencyKey;

    private Command(String kind, UUID orgId, String phoneNumber, Object payload, String idempotencyKey) {
        this.kind = kind;
        this.orgId = Objects.requireNonNull(orgId, "orgId");
        this.phoneNumber = phoneNumber;
        this.payload = payload;
        this.idempotencyKey = idempotencyKey;
    }

    /** The number's own settings become {@code settings}; null clears them. It must be attached to the persona. */
    public static Command updateSettings(UUID orgId, UUID personaId, String phoneNumber, Settings settings) {
        check(FieldRules.e164("phone_number", phoneNumber));
        PersonaSettings avro = null;
        if (settings != null) {
            check(FieldRules.firstOf(
                    FieldRules.optionalText("persona_settings.pathway_id", settings.pathwayId()),
                    FieldRules.nonNegative("persona_settings.pathway_version", settings.pathwayVersion()),
                    FieldRules.optionalText("persona_settings.start_node_id", settings.startNodeId())));
            avro = new PersonaSettings(settings.pathwayId(), settings.pathwayVersion(), settings.startNodeId());
        }
        return new Command("update-settings", orgId, phoneNumber,
                new UpdatePersonaSettings(persona(personaId), avro), null);
    }

    /** Attaches the number to the persona; a number attached to another persona moves and loses its settings. */
    public static Command attach(UUID orgId, UUID personaId, String phoneNumber) {
        check(FieldRules.e164("phone_number", phoneNumber));
        return new Command("attach", orgId, phoneNumber, new AttachToPersona(persona(personaId)), null);
    }

    /** Detaches the number if it is attached to the persona (clearing its settings); otherwise changes nothing. */
    public static Command detach(UUID orgId, UUID personaId, String phoneNumber) {
        check(FieldRules.e164("phone_number", phoneNumber));
        return new Command("detach", orgId, phoneNumber, new DetachFromPersona(persona(personaId)), null);
    }

    /**
     * Operator task: the number enters the org.
     *
     * @param numberId its numeric id from then on (positive; unique among numbers — the operator tools draw it from
     *                 a database sequence)
     * @param label    or null
     */
    public static Command provision(UUID orgId, String phoneNumber, long numberId, String label) {
        check(FieldRules.firstOf(FieldRules.e164("phone_number", phoneNumber),
                FieldRules.positive("number_id", numberId),
                FieldRules.optionalText("label", label)));
        return new Command("provision", orgId, phoneNumber, new ProvisionNumber(numberId, label), null);
    }

    /** Operator task: the number leaves the org (and any persona it was attached to). */
    public static Command release(UUID orgId, String phoneNumber) {
        check(FieldRules.e164("phone_number", phoneNumber));
        return new Command("release", orgId, phoneNumber, new ReleaseNumber(), null);
    }

    /**
     * The same command with its id derived from {@code key} (see {@link CommandIds}): sent again — after a crash, a
     * timeout — it has the same id, and the processor answers it with the first outcome instead of applying it twice.
     */
    public Command withIdempotencyKey(String key) {
        check(FieldRules.requiredText("idempotency key", key));
        return new Command(kind, orgId, phoneNumber, payload, key);
    }

    /** A name for what the command does: {@code update-settings}, {@code attach}, {@code detach}, ... */
    public String kind() {
        return kind;
    }

    public UUID orgId() {
        return orgId;
    }

    public String phoneNumber() {
        return phoneNumber;
    }

    /** Null when the command gets a random id. */
    public String idempotencyKey() {
        return idempotencyKey;
    }

    /**
     * The topic it is written to: the operator topic for provisioning and releasing (accepted only from there, and
     * only the operator may write it), the commands topic for the rest.
     */
    public String topic() {
        return Topics.isOperatorPayload(payload) ? Topics.OPERATOR : Topics.COMMANDS;
    }

    /** The Avro payload of the contract's {@code InboundCommand}. */
    Object payload() {
        return payload;
    }

    private static String persona(UUID personaId) {
        return Objects.requireNonNull(personaId, "personaId").toString(); // UUID.toString is lower case, as required
    }

    private static void check(String problem) {
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    @Override
    public String toString() {
        return kind + " " + phoneNumber + " of org " + orgId;
    }
}
