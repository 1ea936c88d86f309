package com.personasettings.gateway.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.personasettings.gateway.auth.ApiKeys;
import com.personasettings.gateway.limits.RateLimits;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;

/**
 * The 429 for an address that has used up its failed authentications, answered by Jetty before the request
 * reaches the servlet and Javalin: the same answer {@code HttpApi}'s authentication would give, at a fraction of
 * the cost, so a flood of made-up keys spends as little of the machine as an HTTP answer can. A request with a key
 * the gateway already knows to be valid passes, as it does there. Everything else passes untouched.
 */
final class FloodGuard extends Handler.Wrapper {

    private final ApiKeys keys;
    private final RateLimits limits;
    private final ClientAddress clientAddress;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Bodies up to this long are read and dropped, so the connection stays open for the client's next request. */
    private final long maxBodyBytes;
    private final GatewayMetrics metrics;

    FloodGuard(ApiKeys keys, RateLimits limits, ClientAddress clientAddress, long maxBodyBytes, GatewayMetrics metrics) {
        this.keys = keys;
        this.limits = limits;
        this.clientAddress = clientAddress;
        this.maxBodyBytes = maxBodyBytes;
        this.metrics = metrics;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (request.getHttpURI().getPath().startsWith("/v1/")) {
            // The address first: for the callers that matter it is one map lookup, and no key is hashed.
            RateLimits.Verdict verdict = limits.mayAuthenticate(clientAddress.of(request));
            if (!verdict.allowed() && keys.knownCaller(request.getHeaders().get(HttpHeader.AUTHORIZATION)).isEmpty()) {
                metrics.refusedEarly();
                long length = request.getLength();
                if (length >= 0 && length <= maxBodyBytes) {
                    // Answering before the body has arrived would cost the connection (Jetty closes one whose
                    // request was not read to its end): read it first, as the servlet would have.
                    Content.Source.consumeAll(request, Callback.from(() -> answer(response, callback, verdict),
                            callback::failed));
                } else {
                    response.getHeaders().put(HttpHeader.CONNECTION, "close");
                    answer(response, callback, verdict);
                }
                return true;
            }
        }
        return super.handle(request, response, callback);
    }

    private static void answer(Response response, Callback callback, RateLimits.Verdict verdict) {
        ApiException limited = ApiException.tooManyRequests(verdict);
        response.setStatus(limited.status());
        response.getHeaders().put(HttpHeader.RETRY_AFTER, limited.retryAfterSeconds());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        try {
            response.write(true, ByteBuffer.wrap(JSON.writeValueAsBytes(limited.envelope())), callback);
        } catch (JsonProcessingException e) {
            callback.failed(e);
        }
    }

}
