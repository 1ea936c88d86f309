package com.personasettings.gateway;

import com.personasettings.gateway.limits.RateLimits.Limit;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GatewayConfigTest {

    @Test
    void rateLimitsHaveGenerousDefaults() {
        GatewayConfig config = GatewayConfig.from(Map.of());
        assertThat(config.keyLimit()).isEqualTo(Limit.perSecond(1_000, 2_000));
        assertThat(config.orgLimit()).isEqualTo(Limit.perSecond(5_000, 10_000));
        assertThat(config.failedAuthLimit()).isEqualTo(new Limit(30, Duration.ofMinutes(1), 30));
        assertThat(config.clientAddressHeader()).isNull();
    }

    @Test
    void zeroTurnsALimitOff() {
        GatewayConfig config = GatewayConfig.from(Map.of("GATEWAY_KEY_RATE_LIMIT", "0", "GATEWAY_ORG_RATE_LIMIT", "0",
                "GATEWAY_FAILED_AUTH_LIMIT", "0", "GATEWAY_CLIENT_ADDRESS_HEADER", "X-Forwarded-For"));
        assertThat(config.keyLimit()).isEqualTo(Limit.NONE);
        assertThat(config.orgLimit()).isEqualTo(Limit.NONE);
        assertThat(config.failedAuthLimit()).isEqualTo(Limit.NONE);
        assertThat(config.clientAddressHeader()).isEqualTo("X-Forwarded-For");
    }

    @Test
    void aNegativeLimitIsRefusedByName() {
        assertThatThrownBy(() -> GatewayConfig.from(Map.of("GATEWAY_ORG_RATE_LIMIT", "-5")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("GATEWAY_ORG_RATE_LIMIT");
    }
}
