package com.personasettings.gateway.lifecycle;

import com.personasettings.schemas.InboundCommand;
import com.personasettings.schemas.RetirePersona;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

/**
 * The commands that retire a deleted persona: one {@link RetirePersona} per partition of the commands topic. Each
 * partition's processor task then detaches what is attached to the persona at that point of its log and refuses
 * every later attach, so a number can no more join a deleted persona than a missing one, whichever path it takes.
 */
public final class Retirements {

    private Retirements() {
    }

    /**
     * @param issuedAt   when the deletion was accepted (the detached numbers' {@code updated_at})
     * @param partitions how many partitions the commands topic has
     */
    public static List<InboundCommand> of(UUID orgId, UUID personaId, String actor, Instant issuedAt, int partitions) {
        return IntStream.range(0, partitions).mapToObj(partition -> InboundCommand.newBuilder()
                .setCommandId(commandId(orgId, personaId, partition))
                .setOrgId(orgId.toString())
                .setIssuedAt(issuedAt)
                .setActor(actor)
                .setPhoneNumber("")
                .setPayload(new RetirePersona(personaId.toString(), partition))
                .build()).toList();
    }

    /**
     * Derived from the persona and the partition, never random: the delete request and the sweeper that finishes it
     * send the same ids, and the processor applies each once.
     */
    static UUID commandId(UUID orgId, UUID personaId, int partition) {
        return UUID.nameUUIDFromBytes(String.join("\n", "RetirePersona", orgId.toString(), personaId.toString(),
                Integer.toString(partition)).getBytes(StandardCharsets.UTF_8));
    }
}
