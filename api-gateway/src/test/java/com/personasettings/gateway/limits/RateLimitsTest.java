package com.personasettings.gateway.limits;

import com.personasettings.gateway.limits.RateLimits.Limit;
import io.github.bucket4j.TimeMeter;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class RateLimitsTest {

    /** Time that moves only when the test says so. */
    private static final class ManualTime implements TimeMeter {
        long nanos;

        @Override
        public long currentTimeNanos() {
            return nanos;
        }

        @Override
        public boolean isWallClockBased() {
            return false;
        }

        void advance(Duration by) {
            nanos += by.toNanos();
        }
    }

    private final ManualTime time = new ManualTime();
    private final UUID key = UUID.randomUUID();
    private final UUID otherKey = UUID.randomUUID();
    private final UUID org = UUID.randomUUID();

    @Test
    void aKeyGetsItsBurstThenWaitsForTheRefill() {
        RateLimits limits = new RateLimits(Limit.perSecond(10, 20), Limit.NONE, Limit.NONE, time);
        for (int i = 0; i < 20; i++) {
            assertThat(limits.admit(key, org).allowed()).as("request %d of the burst", i).isTrue();
        }
        RateLimits.Verdict refused = limits.admit(key, org);
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.limit()).isEqualTo("key");
        // Ten a second: the next token is 100 ms away, which Retry-After rounds up to a whole second.
        assertThat(refused.retryAfter()).isEqualTo(Duration.ofMillis(100));
        assertThat(refused.retryAfterSeconds()).isEqualTo(1);
        assertThat(limits.admit(otherKey, org).allowed()).as("another key has its own bucket").isTrue();

        time.advance(Duration.ofMillis(100));
        assertThat(limits.admit(key, org).allowed()).isTrue();
        assertThat(limits.admit(key, org).allowed()).isFalse();
    }

    @Test
    void theOrgsLimitCoversAllItsKeys() {
        RateLimits limits = new RateLimits(Limit.perSecond(100, 100), Limit.perSecond(2, 3), Limit.NONE, time);
        assertThat(limits.admit(key, org).allowed()).isTrue();
        assertThat(limits.admit(otherKey, org).allowed()).isTrue();
        assertThat(limits.admit(key, org).allowed()).isTrue();
        RateLimits.Verdict refused = limits.admit(otherKey, org);
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.limit()).isEqualTo("org");
        assertThat(limits.admit(key, UUID.randomUUID()).allowed()).as("another org").isTrue();
    }

    @Test
    void anAddressThatUsedUpItsFailedAuthenticationsIsRefusedUntilOneRefills() {
        RateLimits limits = new RateLimits(Limit.NONE, Limit.NONE, Limit.perMinute(3, 3), time);
        for (int i = 0; i < 3; i++) {
            assertThat(limits.beforeLookup("10.0.0.1").allowed()).isTrue(); // each key turns out made up
        }
        RateLimits.Verdict refused = limits.beforeLookup("10.0.0.1");
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.limit()).isEqualTo("failed authentications");
        assertThat(refused.retryAfterSeconds()).isEqualTo(20); // three a minute
        assertThat(limits.mayAuthenticate("10.0.0.1").allowed()).isFalse();
        assertThat(limits.beforeLookup("10.0.0.2").allowed()).as("another address").isTrue();

        time.advance(Duration.ofSeconds(20));
        assertThat(limits.mayAuthenticate("10.0.0.1").allowed()).isTrue();
        assertThat(limits.beforeLookup("10.0.0.1").allowed()).isTrue();
    }

    @Test
    void aValidKeyGivesBackWhatItsLookupTook() {
        RateLimits limits = new RateLimits(Limit.NONE, Limit.NONE, Limit.perMinute(2, 2), time);
        for (int i = 0; i < 10; i++) {
            assertThat(limits.beforeLookup("10.0.0.1").allowed()).isTrue();
            limits.authenticated("10.0.0.1");
        }
        assertThat(limits.beforeLookup("10.0.0.1").allowed()).isTrue();
        assertThat(limits.beforeLookup("10.0.0.1").allowed()).isTrue();
        assertThat(limits.beforeLookup("10.0.0.1").allowed()).isFalse();
    }

    @Test
    void askingWhetherAnAddressMayAuthenticateTakesNothing() {
        RateLimits limits = new RateLimits(Limit.NONE, Limit.NONE, Limit.perMinute(1, 1), time);
        for (int i = 0; i < 10; i++) {
            assertThat(limits.mayAuthenticate("10.0.0.1").allowed()).isTrue();
        }
        assertThat(limits.beforeLookup("10.0.0.1").allowed()).isTrue();
        assertThat(limits.mayAuthenticate("10.0.0.1").allowed()).isFalse();
    }

    @Test
    void noLimitIsNoLimit() {
        RateLimits limits = new RateLimits(Limit.NONE, Limit.NONE, Limit.NONE, time);
        for (int i = 0; i < 10_000; i++) {
            assertThat(limits.admit(key, org).allowed()).isTrue();
            assertThat(limits.beforeLookup("10.0.0.1").allowed()).isTrue();
        }
        assertThat(limits.mayAuthenticate("10.0.0.1").allowed()).isTrue();
    }
}
