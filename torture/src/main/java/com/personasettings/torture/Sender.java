package com.personasettings.torture;

import org.eclipse.jetty.client.BufferingResponseListener;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpHeader;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends requests as a careful client would and records every send with its answer in the {@link RequestLog}.
 * A request with an {@code Idempotency-Key} is sent again, to the other gateway, after a 5xx, a timeout or a broken
 * connection (up to three sends, one and then two seconds apart: a client's back-off, part of the scenario), and
 * a request marked {@link Intent#repeat()} once more after its first answer; a request without a key is sent once,
 * since a second send would be a second command.
 */
final class Sender implements AutoCloseable {

    /** Longer than the gateway's reply timeout (5 s), after which it answers 202: only a stuck gateway times out. */
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final int MAX_SENDS = 3;
    private static final int MAX_BODY = 1 << 20;
    /** Connections per gateway at most; the load is a few dozen requests a second. */
    private static final int MAX_CONNECTIONS = 256;

    private final HttpClient http;
    private final List<URI> gateways;
    private final String apiKey;
    private final RequestLog log;
    private final ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "sender-retries");
        thread.setDaemon(true);
        return thread;
    });

    Sender(List<URI> gateways, String apiKey, RequestLog log) throws Exception {
        this.gateways = gateways;
        this.apiKey = apiKey;
        this.log = log;
        this.http = new HttpClient();
        http.setConnectTimeout(2_000);
        http.setMaxConnectionsPerDestination(MAX_CONNECTIONS);
        http.start();
    }

    /** Sends the request (and its retries or repeat); completes with the status of the last send, 0 for none. */
    CompletableFuture<Integer> send(Intent intent) {
        log.add(intent);
        CompletableFuture<Integer> done = new CompletableFuture<>();
        attempt(intent, 1, "first", intent.gateway(), done);
        return done;
    }

    /** A plain request outside the ledger (creating a persona, say): the body of its answer, or an exception. */
    String call(String method, String path, String body) throws Exception {
        var response = request(0, method, path, body).send();
        if (response.getStatus() != 200) {
            throw new IllegalStateException(method + " " + path + " answered " + response.getStatus() + ": "
                    + response.getContentAsString());
        }
        return response.getContentAsString();
    }

    private void attempt(Intent intent, int number, String reason, int gateway, CompletableFuture<Integer> done) {
        long sentAt = System.currentTimeMillis();
        Request request = request(gateway, intent.method(), intent.path(), intent.body());
        request.headers(headers -> {
            if (intent.keyed()) {
                headers.put("Idempotency-Key", intent.idempotencyKey());
            }
            if (intent.async()) {
                headers.put("Prefer", "respond-async");
            }
        });
        request.send(new BufferingResponseListener(MAX_BODY) {
            @Override
            public void onComplete(Result result) {
                Attempt attempt = toAttempt(intent, number, reason, gateway, sentAt, result, getContentAsString());
                log.add(attempt);
                int other = 1 - gateway;
                if (intent.keyed() && number < MAX_SENDS && (attempt.status() >= 500 || !attempt.answered())) {
                    later.schedule(() -> attempt(intent, number + 1, "retry", other, done), number, TimeUnit.SECONDS);
                } else if (intent.repeat() && reason.equals("first") && attempt.answered()) {
                    later.schedule(() -> attempt(intent, number + 1, "repeat", other, done), 200, TimeUnit.MILLISECONDS);
                } else {
                    done.complete(attempt.status());
                }
            }
        });
    }

    private static Attempt toAttempt(Intent intent, int number, String reason, int gateway, long sentAt, Result result,
                                     String body) {
        long endedAt = System.currentTimeMillis();
        if (result.getResponseFailure() == null && result.getResponse() != null && result.getResponse().getStatus() > 0) {
            return new Attempt(intent.id(), number, reason, gateway, sentAt, endedAt, result.getResponse().getStatus(),
                    null, body, result.getResponse().getHeaders().get(HttpHeader.LOCATION));
        }
        Throwable failure = result.getFailure();
        String why = failure instanceof TimeoutException ? Attempt.TIMEOUT
                : Attempt.CONNECTION + " (" + failure.getClass().getSimpleName() + ")";
        return new Attempt(intent.id(), number, reason, gateway, sentAt, endedAt, 0, why, null, null);
    }

    private Request request(int gateway, String method, String path, String body) {
        return http.newRequest(gateways.get(gateway).resolve(path))
                .method(method)
                .timeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .headers(headers -> headers.put("authorization", apiKey))
                .body(new StringRequestContent("application/json", body));
    }

    @Override
    public void close() throws Exception {
        later.shutdownNow();
        http.stop();
    }
}
