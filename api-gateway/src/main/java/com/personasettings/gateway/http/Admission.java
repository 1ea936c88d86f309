package com.personasettings.gateway.http;

import com.personasettings.gateway.GatewayConfig;
import com.personasettings.gateway.auth.ApiKeys;
import com.personasettings.gateway.auth.Caller;
import com.personasettings.gateway.limits.RateLimits;
import com.personasettings.schemas.ErrorCode;
import io.javalin.http.Context;
import org.eclipse.jetty.server.Handler;

/**
 * Who may make a request: the API key, the per-key and per-org rate limits, and the per-address limit on failed
 * authentications — checked for every {@code /v1} request, in Javalin, and, for an address that has used up its
 * failed authentications, already in Jetty ({@link FloodGuard}).
 */
public final class Admission {

    private final ApiKeys keys;
    private final RateLimits limits;
    private final ClientAddress clientAddress;
    private final FloodGuard guard;
    private final GatewayMetrics metrics;

    public Admission(ApiKeys keys, GatewayConfig config, GatewayMetrics metrics) {
        this.keys = keys;
        this.metrics = metrics;
        this.limits = new RateLimits(config.keyLimit(), config.orgLimit(), config.failedAuthLimit());
        this.clientAddress = new ClientAddress(config.clientAddressHeader());
        this.guard = new FloodGuard(keys, limits, clientAddress, config.maxBodyBytes(), metrics);
    }

    /**
     * The caller, within their limits. A key the gateway already knows to be valid costs no query; any other is
     * looked up only while the client's address has failed authentications left, so a flood of made-up keys is
     * answered 429 from memory instead of reaching the database, while a valid key from the same address still
     * works. Then one request is taken from the key's and the org's buckets.
     *
     * @throws ApiException 401 for a key that is not one, 429 for a limit used up
     */
    public Caller admit(Context ctx) {
        String key = ctx.header("authorization");
        Caller caller = keys.knownCaller(key).orElse(null);
        if (caller == null) {
            String address = clientAddress.of(ctx);
            RateLimits.Verdict verdict = limits.beforeLookup(address);
            if (!verdict.allowed()) {
                throw limited(verdict);
            }
            caller = keys.callerOf(key).orElse(null);
            if (caller == null) {
                metrics.authFailure();
                throw new ApiException(ErrorCode.AUTH_FAILURE);
            }
            limits.authenticated(address);
        }
        RateLimits.Verdict verdict = limits.admit(caller.keyId(), caller.orgId());
        if (!verdict.allowed()) {
            throw limited(verdict);
        }
        return caller;
    }

    private ApiException limited(RateLimits.Verdict verdict) {
        metrics.rateLimited(verdict.limit());
        return ApiException.tooManyRequests(verdict);
    }

    /** The handler that goes in front of the servlet, in Jetty's chain. */
    Handler.Singleton guard() {
        return guard;
    }

    /** Requests refused by the guard, before the servlet: for tests that check it stands in front. */
    public long refusedBeforeTheServlet() {
        return metrics.refusedEarlyCount();
    }

    /** Key lookups that reached the database. */
    public long keyLookups() {
        return keys.databaseLookups();
    }
}
