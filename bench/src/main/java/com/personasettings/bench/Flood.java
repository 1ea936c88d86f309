package com.personasettings.bench;

import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.StringRequestContent;

import java.net.URI;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Requests with made-up API keys, a new one each time, as a key-guessing client or a misconfigured service would
 * send them: PATCHes of a settings path with a well-formed {@code ps_} key that names nothing. Its own HTTP client,
 * so its connections and queue do not hold up the authenticated caller measured next to it.
 */
public final class Flood implements AutoCloseable {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final HttpClient http;
    private final URI base;

    public Flood(URI base) throws Exception {
        this.base = base;
        this.http = new HttpClient();
        http.setConnectTimeout(5_000);
        http.setMaxConnectionsPerDestination(256);
        http.setMaxRequestsQueuedPerDestination(OpenLoop.MAX_IN_FLIGHT);
        http.start();
    }

    /** One request with a key never sent before; completes with the HTTP status. */
    public CompletableFuture<Integer> send() {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String key = "ps_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        CompletableFuture<Integer> status = new CompletableFuture<>();
        http.newRequest(base.resolve("/v1/personas/" + UUID.randomUUID() + "/inbound/%2B14155550100/settings"))
                .method("PATCH")
                .timeout(30, TimeUnit.SECONDS)
                .headers(headers -> headers.put("authorization", key))
                .body(new StringRequestContent("application/json", "{\"persona_settings\": null}"))
                .send(result -> {
                    if (result.isFailed()) {
                        status.completeExceptionally(result.getFailure());
                    } else {
                        status.complete(result.getResponse().getStatus());
                    }
                });
        return status;
    }

    @Override
    public void close() throws Exception {
        http.stop();
    }
}
