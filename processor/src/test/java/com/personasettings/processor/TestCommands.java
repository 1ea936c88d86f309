package com.personasettings.processor;

import com.personasettings.schemas.AttachToPersona;
import com.personasettings.schemas.DetachFromPersona;
import com.personasettings.schemas.InboundCommand;
import com.personasettings.schemas.PersonaSettings;
import com.personasettings.schemas.ProvisionNumber;
import com.personasettings.schemas.ReleaseNumber;
import com.personasettings.schemas.RetirePersona;
import com.personasettings.schemas.UpdatePersonaSettings;

import java.time.Instant;
import java.util.UUID;

/** Builds Avro commands for tests; issued_at advances one second per command so ordering is visible. */
public final class TestCommands {

    public static final String ORG = "01010101-0000-4000-8000-000000000001";
    public static final String OTHER_ORG = "02020202-0000-4000-8000-000000000002";
    public static final String PERSONA = "12345678-1234-1234-1234-123456789012";
    public static final String OTHER_PERSONA = "87654321-4321-4321-4321-210987654321";

    private Instant clock = Instant.parse("2025-09-23T16:00:00Z");

    public InboundCommand provision(String phone, long id) {
        return command(ORG, phone, new ProvisionNumber(id, "line " + id));
    }

    /** A persona's retirement, the copy for {@code partition} (no phone number, see RetirePersona). */
    public InboundCommand retire(String persona, int partition) {
        return command(ORG, "", new RetirePersona(persona, partition));
    }

    public InboundCommand attach(String phone, String persona) {
        return command(ORG, phone, new AttachToPersona(persona));
    }

    public InboundCommand detach(String phone, String persona) {
        return command(ORG, phone, new DetachFromPersona(persona));
    }

    public InboundCommand update(String phone, String persona, PersonaSettings settings) {
        return command(ORG, phone, new UpdatePersonaSettings(persona, settings));
    }

    public InboundCommand release(String phone) {
        return command(ORG, phone, new ReleaseNumber());
    }

    public InboundCommand command(String org, String phone, Object payload) {
        clock = clock.plusSeconds(1);
        return InboundCommand.newBuilder()
                .setCommandId(UUID.randomUUID())
                .setOrgId(org)
                .setIssuedAt(clock)
                .setActor("test")
                .setPhoneNumber(phone)
                .setPayload(payload)
                .build();
    }

    public static PersonaSettings settings(String pathwayId, Long version, String startNode) {
        return new PersonaSettings(pathwayId, version, startNode);
    }
}
