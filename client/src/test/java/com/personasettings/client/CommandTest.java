package com.personasettings.client;

import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CommandTest {

    private static final UUID ORG = UUID.fromString("6f1c1d6e-8a3b-4c55-9c3e-2b7d9f0a1e42");
    private static final UUID PERSONA = UUID.fromString("12345678-1234-1234-1234-123456789012");

    @Test
    void valuesTheRulesRefuseFailBeforeAnythingIsSent() {
        assertThatThrownBy(() -> Command.attach(ORG, PERSONA, "4155551234"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("E.164");
        assertThatThrownBy(() -> Command.updateSettings(ORG, PERSONA, "+14155551234", new Settings(null, -1L, null)))
                .hasMessage("persona_settings.pathway_version must not be negative");
        assertThatThrownBy(() -> Command.updateSettings(ORG, PERSONA, "+14155551234", new Settings("x\u0000", null, null)))
                .hasMessageContaining("control characters");
        assertThatThrownBy(() -> Command.provision(ORG, "+14155551234", 0, null)).hasMessageContaining("number_id");
        assertThatThrownBy(() -> Command.release(ORG, "+14155551234").withIdempotencyKey("a\nb"))
                .hasMessageContaining("control characters");
        assertThatThrownBy(() -> Command.attach(ORG, null, "+14155551234")).isInstanceOf(NullPointerException.class);
    }

    @Test
    void anIdempotencyKeyGivesTheSameIdForTheSameChangeOfTheSameNumberFromTheSameService() {
        Command change = Command.updateSettings(ORG, PERSONA, "+14155551234", new Settings("p", 1L, "a"))
                .withIdempotencyKey("order-17");
        UUID id = CommandIds.of("billing", change);

        assertThat(CommandIds.of("billing", change)).isEqualTo(id);
        // the settings are not part of it: one key, one change (see CommandIds)
        assertThat(CommandIds.of("billing", Command.updateSettings(ORG, PERSONA, "+14155551234", null)
                .withIdempotencyKey("order-17"))).isEqualTo(id);
        assertThat(CommandIds.of("shipping", change)).isNotEqualTo(id);
        assertThat(CommandIds.of("billing", Command.updateSettings(ORG, PERSONA, "+14155551235", null)
                .withIdempotencyKey("order-17"))).isNotEqualTo(id);
        assertThat(CommandIds.of("billing", Command.attach(ORG, PERSONA, "+14155551234")
                .withIdempotencyKey("order-17"))).isNotEqualTo(id);
        assertThat(CommandIds.of("billing", Command.updateSettings(UUID.randomUUID(), PERSONA, "+14155551234", null)
                .withIdempotencyKey("order-17"))).isNotEqualTo(id);
    }

    @Test
    void withoutAKeyEveryCommandGetsANewRandomId() {
        Command change = Command.release(ORG, "+14155551234");
        UUID first = CommandIds.of("billing", change);

        assertThat(first.version()).isEqualTo(4);
        assertThat(CommandIds.of("billing", change)).isNotEqualTo(first);
    }
}
