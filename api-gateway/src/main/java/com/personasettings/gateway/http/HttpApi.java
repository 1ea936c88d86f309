package com.personasettings.gateway.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.personasettings.gateway.GatewayConfig;
import com.personasettings.gateway.auth.Caller;
import com.personasettings.gateway.db.AcceptedCommands;
import com.personasettings.gateway.db.DatabaseUnavailable;
import com.personasettings.gateway.db.GatewayDatabase;
import com.personasettings.gateway.kafka.CommandPublisher;
import com.personasettings.platform.health.Readiness;
import com.personasettings.gateway.kafka.ReplyRouter;
import com.personasettings.schemas.ErrorCode;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import com.personasettings.platform.ops.Tracing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executor;

/** The HTTP API: routes, authentication and the mapping of every failure to Bland's error envelope. */
public final class HttpApi {

    private static final Logger log = LoggerFactory.getLogger(HttpApi.class);
    private static final String CALLER = "caller";

    private HttpApi() {
    }

    public static Javalin create(GatewayConfig config, GatewayDatabase db, Admission admission, CommandPublisher publisher,
                                 ReplyRouter replies, AcceptedCommands accepted, Readiness readiness, Executor blocking,
                                 PrometheusMeterRegistry meters, GatewayMetrics metrics, Tracing tracing) {
        RequestTracing traces = new RequestTracing(tracing);
        ObjectMapper json = new ObjectMapper();
        Clock clock = Clock.systemUTC();
        RequestBodies bodies = new RequestBodies(json);
        Commands commands = new Commands(clock);
        Submission submission = new Submission(publisher, replies, accepted, config.replyTimeout(), config.sendTimeout(),
                blocking, metrics);
        IdempotencyKeys idempotencyKeys = new IdempotencyKeys(db.idempotencyKeys());
        PersonaRoutes personas = new PersonaRoutes(bodies, db.personas(), db.numbers(), json, clock, submission, commands,
                idempotencyKeys, publisher::commandPartitions);
        Answers answers = new Answers(personas);
        NumberRoutes numbers = new NumberRoutes(bodies, commands, submission, personas, answers,
                new PreChecks(db.numbers()::states), idempotencyKeys);
        RequestRoutes status = new RequestRoutes(db.numbers(), db.acceptedCommands(), answers, json);
        HistoryRoutes history = new HistoryRoutes(personas, db.numbers(), json);

        return Javalin.create(javalin -> {
            server(javalin, config, json, admission);
            javalin.requestLogger.http((ctx, millis) -> {
                metrics.answered(ctx, millis);
                traces.end(ctx);
            });
            javalin.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                    .result(meters.scrape()));
            javalin.routes.get("/health/live", ctx -> ctx.json(Map.of("status", "UP")));
            javalin.routes.get("/health/ready", ctx -> ready(ctx, readiness));
            // What load balancers probe today: readiness.
            javalin.routes.get("/health", ctx -> ready(ctx, readiness));
            javalin.routes.get("/openapi.yaml", ctx -> ctx.contentType("application/yaml")
                    .result(HttpApi.class.getResourceAsStream("/openapi.yaml")));

            javalin.routes.before("/v1/*", traces::start);
            javalin.routes.before("/v1/*", ctx -> {
                Caller caller = admission.admit(ctx);
                ctx.attribute(CALLER, caller);
                // What this thread logs about the request names its org (with LOG_FORMAT=json, as a field).
                traces.identify(caller);
            });
            javalin.routes.after(ctx -> traces.leaveThread());
            javalin.routes.patch("/v1/personas/{persona_id}/inbound/{phone_number}/settings", numbers::updateSettings);
            javalin.routes.get("/v1/personas/{persona_id}/inbound/{phone_number}/history", history::history);
            javalin.routes.post("/v1/personas/{id}/inbound/attach", numbers::attach);
            javalin.routes.post("/v1/personas/{id}/inbound/detach", numbers::detach);
            javalin.routes.post("/v1/personas", personas::create);
            javalin.routes.get("/v1/personas", personas::list);
            javalin.routes.get("/v1/personas/{id}", personas::get);
            javalin.routes.delete("/v1/personas/{id}", personas::delete);
            javalin.routes.get("/v1/requests/{request_id}", status::request);
            javalin.routes.get("/v1/commands/{command_id}", status::command);

            javalin.routes.exception(Exception.class, (e, ctx) -> {
                if (DatabaseUnavailable.is(e)) {
                    // Nothing was done (reads, or checks before publishing): the caller may simply retry.
                    RequestTracing.log(ctx, () -> log.warn("PostgreSQL unavailable serving {} {}: {}", ctx.method(),
                            ctx.path(), e.toString()));
                    ctx.status(503).header("Retry-After", "1").json(Envelope.error(ErrorCode.SERVICE_UNAVAILABLE.code(),
                            "The database is unavailable; nothing was changed, retry shortly"));
                    return;
                }
                RequestTracing.log(ctx, () -> log.error("Unexpected failure serving {} {}", ctx.method(), ctx.path(), e));
                ctx.status(500).json(Envelope.error(ErrorCode.INTERNAL_ERROR));
            });
            javalin.routes.error(404, "*", ctx -> {
                if (ctx.result() == null) {
                    ctx.json(Envelope.error(ErrorCode.NOT_FOUND.code(), "No such endpoint: " + ctx.method() + " " + ctx.path()));
                }
            });
        });
    }

    /** The authenticated caller, set by the before-handler of every /v1 route. */
    /**
     * The HTTP server's settings, shared with the benchmark's CRUD peer so that both are the same HTTP stack: JSON,
     * body limit, Jetty's own errors in Bland's envelope, {@code admission}'s flood guard in front of the servlet,
     * and the answers to the API's own errors ({@link ApiException}, Javalin's {@link HttpResponseException}).
     * Other failures are each server's to map.
     */
    public static void server(JavalinConfig javalin, GatewayConfig config, ObjectMapper json, Admission admission) {
        javalin.jsonMapper(new JavalinJackson(json, false));
        javalin.http.maxRequestSize = config.maxBodyBytes();
        // A path that exists with another method (or an unknown one, BREW) is 405, not 404.
        javalin.http.prefer405over404 = true;
        javalin.startup.showJavalinBanner = false;
        // Jetty's own errors (a URI it cannot parse, headers too large) in Bland's envelope: the server's
        // handler answers what fails before routing, the context's what fails inside the servlet but outside
        // Javalin's exception handlers.
        JsonErrorHandler errors = new JsonErrorHandler(json);
        javalin.jetty.modifyServer(server -> server.setErrorHandler(errors));
        javalin.jetty.modifyServletContextHandler(context -> {
            context.setErrorHandler(errors);
            // Between the context and the servlet: a flood is answered before the servlet and Javalin.
            context.insertHandler(admission.guard());
        });
        javalin.routes.exception(ApiException.class, (e, ctx) -> {
            if (e.retryAfterSeconds() > 0) {
                ctx.header("Retry-After", Long.toString(e.retryAfterSeconds()));
            }
            ctx.status(e.status()).json(e.envelope());
        });
        javalin.routes.exception(HttpResponseException.class, (e, ctx) -> ctx.status(e.getStatus())
                .json(Envelope.errorFor(e.getStatus(), e.getMessage())));
    }

    static Caller caller(Context ctx) {
        return ctx.attribute(CALLER);
    }

    /** 200 with every check UP, else 503 naming what failed; answered from the last background results. */
    private static void ready(Context ctx, Readiness readiness) {
        Map<String, Object> body = new LinkedHashMap<>();
        boolean ready = readiness.ready();
        body.put("status", ready ? "UP" : "DOWN");
        body.put("checks", readiness.status());
        ctx.status(ready ? 200 : 503).json(body);
    }
}
