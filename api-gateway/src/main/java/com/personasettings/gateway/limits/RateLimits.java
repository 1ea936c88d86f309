package com.personasettings.gateway.limits;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;

import java.time.Duration;
import java.util.UUID;

/**
 * The gateway's rate limits, as token buckets (Bucket4j) held in this instance's memory: requests per API key and
 * per org, and failed authentications per client address. With several gateways behind a load balancer each
 * enforces its own, so a caller spread over n instances gets up to n times the figures; a shared store would make
 * every request wait for it, which is worse than the slack.
 *
 * <p>Buckets of keys, orgs and addresses not seen for {@link #IDLE} are forgotten (a full bucket is what a new one
 * would be anyway); at most {@link #MAX_ADDRESSES} addresses are tracked, so a flood from many addresses costs
 * bounded memory.
 */
public final class RateLimits {

    /** The limits by name, as a {@link Verdict} and the answer's {@code details.limit} give them. */
    public static final String KEY = "key";
    public static final String ORG = "org";
    public static final String FAILED_AUTHENTICATIONS = "failed authentications";
    public static final java.util.List<String> LIMITS = java.util.List.of(KEY, ORG, FAILED_AUTHENTICATIONS);

    static final Duration IDLE = Duration.ofMinutes(10);
    static final int MAX_ADDRESSES = 100_000;

    private final Limit perKey;
    private final Limit perOrg;
    private final Limit failedAuthPerAddress;
    private final TimeMeter time;
    private final Cache<UUID, Bucket> keys;
    private final Cache<UUID, Bucket> orgs;
    private final Cache<String, Bucket> addresses;

    public RateLimits(Limit perKey, Limit perOrg, Limit failedAuthPerAddress) {
        this(perKey, perOrg, failedAuthPerAddress, TimeMeter.SYSTEM_NANOTIME);
    }

    /** @param time the buckets' clock, for tests that move time themselves */
    RateLimits(Limit perKey, Limit perOrg, Limit failedAuthPerAddress, TimeMeter time) {
        this.perKey = perKey;
        this.perOrg = perOrg;
        this.failedAuthPerAddress = failedAuthPerAddress;
        this.time = time;
        this.keys = Caffeine.newBuilder().expireAfterAccess(IDLE).build();
        this.orgs = Caffeine.newBuilder().expireAfterAccess(IDLE).build();
        this.addresses = Caffeine.newBuilder().expireAfterAccess(IDLE).maximumSize(MAX_ADDRESSES).build();
    }

    /**
     * Requests at most {@code perPeriod} per {@code period}, refilled smoothly, with bursts of up to {@code burst}.
     * A limit of zero requests is no limit.
     */
    public record Limit(long perPeriod, Duration period, long burst) {

        public static final Limit NONE = new Limit(0, Duration.ofSeconds(1), 0);

        public static Limit perSecond(long requests, long burst) {
            return new Limit(requests, Duration.ofSeconds(1), burst);
        }

        public static Limit perMinute(long requests, long burst) {
            return new Limit(requests, Duration.ofMinutes(1), burst);
        }

        public Limit {
            if (perPeriod < 0 || burst < 0) {
                throw new IllegalArgumentException("a limit cannot be negative");
            }
            if (perPeriod > 0 && burst < 1) {
                throw new IllegalArgumentException("a limit needs a burst of at least one request");
            }
        }

        boolean on() {
            return perPeriod > 0;
        }
    }

    /** Whether a request may go on, and if not, how long until it may. */
    public record Verdict(boolean allowed, Duration retryAfter, String limit) {

        static final Verdict ALLOWED = new Verdict(true, Duration.ZERO, null);

        /** Whole seconds to wait, rounded up, at least one: what {@code Retry-After} says. */
        public long retryAfterSeconds() {
            long seconds = (retryAfter.toNanos() + 999_999_999L) / 1_000_000_000L;
            return Math.max(1, seconds);
        }
    }

    /** Takes one request from the key's bucket and then from its org's; refused if either is empty. */
    public Verdict admit(UUID keyId, UUID orgId) {
        Verdict key = take(keys, keyId, perKey, KEY);
        if (!key.allowed()) {
            return key;
        }
        return take(orgs, orgId, perOrg, ORG);
    }

    /**
     * Whether the address may still try a key the gateway does not know yet, without taking anything: what the
     * guard in front of the servlet asks, to refuse a flood as early as it can.
     */
    public Verdict mayAuthenticate(String address) {
        if (!failedAuthPerAddress.on()) {
            return Verdict.ALLOWED;
        }
        Bucket bucket = addresses.getIfPresent(address);
        if (bucket == null) {
            return Verdict.ALLOWED;
        }
        var estimate = bucket.estimateAbilityToConsume(1);
        return estimate.canBeConsumed() ? Verdict.ALLOWED : failedAuthentications(estimate.getNanosToWaitForRefill());
    }

    /**
     * Takes one failed authentication from the address's budget before a key it sent is looked up, so that however
     * many lookups run at once, no more than the budget reach the database; refused once it is used up. A key that
     * turns out valid gives it back ({@link #authenticated}).
     */
    public Verdict beforeLookup(String address) {
        return take(addresses, address, failedAuthPerAddress, FAILED_AUTHENTICATIONS);
    }

    /** Gives back what {@link #beforeLookup} took: the key was valid. */
    public void authenticated(String address) {
        if (failedAuthPerAddress.on()) {
            Bucket bucket = addresses.getIfPresent(address);
            if (bucket != null) {
                bucket.addTokens(1);
            }
        }
    }

    private static Verdict failedAuthentications(long nanosToWait) {
        return new Verdict(false, Duration.ofNanos(nanosToWait), FAILED_AUTHENTICATIONS);
    }

    private <K> Verdict take(Cache<K, Bucket> buckets, K id, Limit limit, String name) {
        if (!limit.on()) {
            return Verdict.ALLOWED;
        }
        ConsumptionProbe probe = buckets.get(id, k -> bucket(limit)).tryConsumeAndReturnRemaining(1);
        return probe.isConsumed() ? Verdict.ALLOWED
                : new Verdict(false, Duration.ofNanos(probe.getNanosToWaitForRefill()), name);
    }

    private Bucket bucket(Limit limit) {
        return Bucket.builder()
                .addLimit(l -> l.capacity(limit.burst()).refillGreedy(limit.perPeriod(), limit.period()))
                .withCustomTimePrecision(time)
                .build();
    }
}
