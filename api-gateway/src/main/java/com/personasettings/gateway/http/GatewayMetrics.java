package com.personasettings.gateway.http;

import com.personasettings.gateway.kafka.ReplyRouter;
import com.personasettings.gateway.limits.RateLimits;
import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the gateway counts, as Prometheus shows it:
 * <ul>
 *     <li>{@code http_server_requests_seconds{method, route, status}}: every request Javalin answered, with latency
 *     histograms (a sync answer is 200/4xx, a request that waited too long or asked for async is 202);</li>
 *     <li>{@code persona_gateway_refused_early_total}: requests answered 429 in front of the servlet (a flood);</li>
 *     <li>{@code persona_gateway_auth_failures_total}, {@code persona_gateway_rate_limited_total{limit}};</li>
 *     <li>{@code persona_gateway_reply_timeouts_total}: sync requests answered 202 because the outcomes took longer
 *     than the reply timeout; {@code persona_gateway_publish_failures_total}: requests whose commands the broker did
 *     not confirm in time (503);</li>
 *     <li>{@code persona_gateway_replies_waiting}: outcomes awaited by requests right now.</li>
 * </ul>
 */
public final class GatewayMetrics {

    private final MeterRegistry registry;
    private final Counter refusedEarly;
    private final Counter authFailures;
    private final Counter replyTimeouts;
    private final Counter publishFailures;
    private final Map<String, Timer> requests = new ConcurrentHashMap<>();

    public GatewayMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.refusedEarly = Counter.builder("persona.gateway.refused.early")
                .description("Requests answered 429 before the servlet: an address out of failed authentications")
                .register(registry);
        this.authFailures = Counter.builder("persona.gateway.auth.failures")
                .description("Requests with a key that is not one (401)").register(registry);
        this.replyTimeouts = Counter.builder("persona.gateway.reply.timeouts")
                .description("Sync requests answered 202: the outcomes took longer than the reply timeout")
                .register(registry);
        this.publishFailures = Counter.builder("persona.gateway.publish.failures")
                .description("Requests answered 503: the broker did not confirm their commands in time")
                .register(registry);
        // At zero from the start, so that a dashboard's rate over them is 0, not "no data".
        for (String limit : RateLimits.LIMITS) {
            registry.counter("persona.gateway.rate.limited", "limit", limit);
        }
    }

    /** The replies awaited right now, read when scraped. */
    public void watch(ReplyRouter replies) {
        Gauge.builder("persona.gateway.replies.waiting", replies, ReplyRouter::waiting)
                .description("Outcomes awaited by requests right now").register(registry);
    }

    /** Javalin's request logger: called once per answered request, async ones included. */
    void answered(Context ctx, float millis) {
        Endpoint endpoint = ctx.endpoints().lastHttpEndpoint();
        String method = ctx.method().name();
        String route = endpoint == null ? "unmatched" : endpoint.path;
        int status = ctx.statusCode();
        // One timer per (method, route, status), built once: this runs for every request.
        requests.computeIfAbsent(method + ' ' + route + ' ' + status, k -> Timer.builder("http.server.requests")
                        .tag("method", method)
                        .tag("route", route)
                        .tag("status", Integer.toString(status))
                        .publishPercentileHistogram()
                        .register(registry))
                .record(Duration.ofNanos((long) (millis * 1_000_000)));
    }

    void refusedEarly() {
        refusedEarly.increment();
    }

    long refusedEarlyCount() {
        return (long) refusedEarly.count();
    }

    void authFailure() {
        authFailures.increment();
    }

    void rateLimited(String limit) {
        registry.counter("persona.gateway.rate.limited", "limit", limit).increment();
    }

    void replyTimeout() {
        replyTimeouts.increment();
    }

    void publishFailure() {
        publishFailures.increment();
    }
}
