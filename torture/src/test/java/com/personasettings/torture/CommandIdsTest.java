package com.personasettings.torture;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CommandIdsTest {

    @Test
    void aPathIsNamedAsTheGatewayNormalisesIt() {
        assertThat(CommandIds.normalised("/v1/personas/ABCDEF01-0000-4000-8000-000000000001/inbound/%2B14155551234/settings"))
                .isEqualTo("/v1/personas/abcdef01-0000-4000-8000-000000000001/inbound/+14155551234/settings");
        assertThat(CommandIds.normalised("/v1/personas/p/inbound/+14155551234/settings"))
                .isEqualTo("/v1/personas/p/inbound/+14155551234/settings");
    }
}
