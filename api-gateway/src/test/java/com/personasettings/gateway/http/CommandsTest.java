package com.personasettings.gateway.http;

import com.personasettings.gateway.auth.Caller;
import com.personasettings.schemas.InboundCommand;
import com.personasettings.schemas.ReleaseNumber;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** How a request becomes a command: the id (random, or derived from an Idempotency-Key) and issued_at. */
class CommandsTest {

    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00.123456789Z");
    private final Commands commands = new Commands(Clock.fixed(NOW, ZoneOffset.UTC));
    private final Caller caller = caller(UUID.fromString("00000000-0000-0000-0000-0000000000aa"));

    @Test
    void anIdempotencyKeyGivesTheSameIdForTheSameRequestAndNumberOnly() {
        InboundCommand first = commands.command(caller, "key-1", "PATCH /x", "+14155551234", new ReleaseNumber());
        InboundCommand retry = commands.command(caller, "key-1", "PATCH /x", "+14155551234", new ReleaseNumber());

        assertThat(retry.getCommandId()).isEqualTo(first.getCommandId());
        assertThat(commands.command(caller, "key-2", "PATCH /x", "+14155551234", new ReleaseNumber()).getCommandId())
                .isNotEqualTo(first.getCommandId());
        assertThat(commands.command(caller, "key-1", "PATCH /x", "+14155551235", new ReleaseNumber()).getCommandId())
                .isNotEqualTo(first.getCommandId());
        assertThat(commands.command(caller(UUID.randomUUID()), "key-1", "PATCH /x", "+14155551234", new ReleaseNumber())
                .getCommandId()).as("keys are the org's own").isNotEqualTo(first.getCommandId());
    }

    @Test
    void withoutAKeyEveryCommandGetsANewId() {
        assertThat(commands.command(caller, null, "PATCH /x", "+14155551234", new ReleaseNumber()).getCommandId())
                .isNotEqualTo(commands.command(caller, null, "PATCH /x", "+14155551234", new ReleaseNumber()).getCommandId());
    }

    @Test
    void issuedAtIsStampedOnceToTheMillisecondAvroCarries() {
        InboundCommand command = commands.command(caller, null, "PATCH /x", "+14155551234", new ReleaseNumber());

        assertThat(command.getIssuedAt()).isEqualTo(Instant.parse("2026-11-30T12:00:00.123Z"));
        assertThat(command.getOrgId()).isEqualTo(caller.orgId().toString());
        assertThat(command.getActor()).isEqualTo(caller.actor());
    }

    private static Caller caller(UUID org) {
        return new Caller(org, UUID.randomUUID());
    }
}
