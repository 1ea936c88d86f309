package com.personasettings.platform.ops;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.personasettings.platform.health.Readiness;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/**
 * The small HTTP port of a service that has no API of its own (the processor): {@code /metrics} for Prometheus,
 * {@code /health/live} and {@code /health/ready} for orchestrators, the same paths and bodies as the gateway's. The
 * JDK's own server: two threads are plenty for scrapes and probes.
 */
public final class OpsServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService threads;

    private OpsServer(HttpServer server, ExecutorService threads) {
        this.server = server;
        this.threads = threads;
    }

    /**
     * @param port      0 for any free port
     * @param live      whether the service is alive (false: restart it)
     * @param readiness what it depends on, checked in the background
     * @throws IllegalStateException naming the port when it is taken
     */
    public static OpsServer start(int port, PrometheusMeterRegistry metrics, BooleanSupplier live, Readiness readiness) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(port), 0);
        } catch (BindException e) {
            throw new IllegalStateException("Port " + port + " is in use: stop what holds it or choose another port", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/metrics", exchange -> answer(exchange, 200,
                "text/plain; version=0.0.4; charset=utf-8", metrics.scrape()));
        server.createContext("/health/live", exchange -> {
            boolean up = live.getAsBoolean();
            answer(exchange, up ? 200 : 503, "application/json", JSON.writeValueAsString(Map.of("status", up ? "UP" : "DOWN")));
        });
        server.createContext("/health/ready", exchange -> {
            boolean ready = readiness.ready();
            answer(exchange, ready ? 200 : 503, "application/json", readinessJson(ready, readiness.status()));
        });
        ExecutorService threads = Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "ops-http");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(threads);
        server.start();
        return new OpsServer(server, threads);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code {"status": "UP"|"DOWN", "checks": {name: "UP" or what is wrong}}}, as the gateway answers. */
    static String readinessJson(boolean ready, Map<String, String> checks) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", ready ? "UP" : "DOWN");
        body.put("checks", checks);
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings is always JSON", e);
        }
    }

    private static void answer(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
