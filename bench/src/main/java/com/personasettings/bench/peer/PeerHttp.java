package com.personasettings.bench.peer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.personasettings.gateway.GatewayConfig;
import com.personasettings.gateway.auth.Caller;
import com.personasettings.gateway.http.Admission;
import com.personasettings.gateway.http.Envelope;
import com.personasettings.gateway.http.HttpApi;
import com.personasettings.schemas.ErrorCode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import org.jdbi.v3.core.JdbiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.util.Map;

/**
 * The peer's HTTP server, set up as the gateway's ({@link HttpApi#server}): the same Javalin and Jetty settings, Jetty's
 * own errors in Bland's envelope, the same {@link Admission} in front of every {@code /v1} request (its flood guard
 * in front of the servlet), and the same mapping of failures to the envelope. Left out: metrics, tracing, health.
 */
final class PeerHttp {

    private static final Logger log = LoggerFactory.getLogger(PeerHttp.class);
    private static final String CALLER = "caller";

    private PeerHttp() {
    }

    static Javalin create(GatewayConfig config, ObjectMapper json, Admission admission, SettingsEndpoint settings) {
        return Javalin.create(javalin -> {
            HttpApi.server(javalin, config, json, admission);

            javalin.routes.before("/v1/*", ctx -> ctx.attribute(CALLER, admission.admit(ctx)));
            // The HTTP ceiling: what serving an authenticated request costs, with nothing behind it.
            javalin.routes.get("/v1/ping", ctx -> ctx.json(Envelope.data(Map.of("pong", true))));
            javalin.routes.patch("/v1/personas/{persona_id}/inbound/{phone_number}/settings",
                    ctx -> settings.update(ctx, caller(ctx)));

            javalin.routes.exception(Exception.class, (e, ctx) -> {
                if (fromPostgres(e)) {
                    // Rolled back or never begun: nothing changed, the caller may retry. (A commit whose connection
                    // dropped on the way is the one case that may have landed, as with any database client.)
                    log.warn("PostgreSQL failed serving {} {}: {}", ctx.method(), ctx.path(), e.toString());
                    ctx.status(503).header("Retry-After", "1").json(Envelope.error(ErrorCode.SERVICE_UNAVAILABLE.code(),
                            "The database is unavailable; nothing was changed, retry shortly"));
                    return;
                }
                log.error("Unexpected failure serving {} {}", ctx.method(), ctx.path(), e);
                ctx.status(500).json(Envelope.error(ErrorCode.INTERNAL_ERROR));
            });
            javalin.routes.error(404, "*", ctx -> {
                if (ctx.result() == null) {
                    ctx.json(Envelope.error(ErrorCode.NOT_FOUND.code(), "No such endpoint: " + ctx.method() + " " + ctx.path()));
                }
            });
        });
    }

    /**
     * Whether PostgreSQL, or the way to it, failed: anything the gateway counts as unavailable (the pool's timeout,
     * connection failures) and any error of a statement, anywhere in the causes. Broader than the gateway's
     * {@code DatabaseUnavailable}, because all the peer does with a request is one transaction, rolled back on any
     * of these: each is a 503, never a 500.
     */
    private static boolean fromPostgres(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof JdbiException || t instanceof SQLException) {
                return true;
            }
        }
        return false;
    }

    private static Caller caller(Context ctx) {
        return ctx.attribute(CALLER);
    }
}
