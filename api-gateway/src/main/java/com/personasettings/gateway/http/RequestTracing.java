package com.personasettings.gateway.http;

import com.personasettings.platform.ops.Tracing;
import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import org.slf4j.MDC;

/**
 * A span per HTTP request: continuing the caller's trace when the request has a W3C {@code traceparent}, else
 * starting one. Its context goes into the request's commands (their Kafka headers), so the processor continues the
 * same trace onto the outcome and the reply; its trace id is in the MDC of the request thread's log lines.
 */
final class RequestTracing {

    private static final String SPAN = "span";
    /** The MDC key of the org a request acts for. */
    static final String ORG_ID = "org_id";

    private final Tracing tracing;

    RequestTracing(Tracing tracing) {
        this.tracing = tracing;
    }

    /** Javalin's before-handler. */
    void start(Context ctx) {
        Span span = tracing.tracer().spanBuilder("HTTP " + ctx.method().name())
                .setParent(Tracing.extract(ctx, ctx::header))
                .setSpanKind(SpanKind.SERVER)
                .setAttribute("http.request.method", ctx.method().name())
                .startSpan();
        ctx.attribute(SPAN, span);
        String traceId = Tracing.traceId(span);
        if (traceId != null) {
            MDC.put(Tracing.TRACE_ID, traceId);
        }
    }

    /** Once the request is authenticated: its org in the MDC of the request thread's lines. */
    void identify(com.personasettings.gateway.auth.Caller caller) {
        MDC.put(ORG_ID, caller.orgId().toString());
    }

    /** Javalin's after-handler, on the request thread: the MDC is the thread's. */
    void leaveThread() {
        MDC.remove(Tracing.TRACE_ID);
        MDC.remove(ORG_ID);
    }

    /** Javalin's request logger: once per answered request, async ones included. */
    void end(Context ctx) {
        Span span = ctx.attribute(SPAN);
        if (span == null) {
            return;
        }
        Endpoint endpoint = ctx.endpoints().lastHttpEndpoint();
        if (endpoint != null) {
            span.updateName(ctx.method().name() + " " + endpoint.path);
            span.setAttribute("http.route", endpoint.path);
        }
        span.setAttribute("http.response.status_code", ctx.statusCode());
        if (ctx.statusCode() >= 500) {
            span.setStatus(StatusCode.ERROR);
        }
        span.end();
    }

    /**
     * Logs with the request's trace id and org in the MDC: for lines written about the request on a thread that is
     * not its own (a completion of its commands, an async failure).
     */
    static void log(Context ctx, Runnable line) {
        Span span = ctx.attribute(SPAN);
        String traceId = span == null ? null : Tracing.traceId(span);
        com.personasettings.gateway.auth.Caller caller = HttpApi.caller(ctx);
        String previousTrace = MDC.get(Tracing.TRACE_ID);
        String previousOrg = MDC.get(ORG_ID);
        if (traceId != null) {
            MDC.put(Tracing.TRACE_ID, traceId);
        }
        if (caller != null) {
            MDC.put(ORG_ID, caller.orgId().toString());
        }
        try {
            line.run();
        } finally {
            restore(Tracing.TRACE_ID, previousTrace);
            restore(ORG_ID, previousOrg);
        }
    }

    private static void restore(String key, String previous) {
        if (previous == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, previous);
        }
    }

    /** The request's trace, for what it sends on. */
    static io.opentelemetry.context.Context contextOf(Context ctx) {
        Span span = ctx.attribute(SPAN);
        return span == null ? io.opentelemetry.context.Context.root()
                : io.opentelemetry.context.Context.root().with(span);
    }
}
