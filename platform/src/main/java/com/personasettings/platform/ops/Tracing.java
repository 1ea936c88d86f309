package com.personasettings.platform.ops;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;

import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * A service's OpenTelemetry: spans named for what the service does, W3C {@code traceparent} carried across HTTP and
 * Kafka headers. Configured by the standard {@code OTEL_*} variables (SDK autoconfiguration); exporting is off
 * unless they switch it on ({@code OTEL_TRACES_EXPORTER=otlp} and {@code OTEL_EXPORTER_OTLP_ENDPOINT}, say), so
 * spans cost little and leave the process only when asked. The trace context travels whatever the exporter: a
 * request's trace id is in its commands, outcomes and replies, and in the log lines about it.
 */
public final class Tracing implements AutoCloseable {

    /** The MDC key under which log lines carry the trace id. */
    public static final String TRACE_ID = "trace_id";

    private static final TextMapPropagator W3C = W3CTraceContextPropagator.getInstance();

    private final OpenTelemetry openTelemetry;
    private final Tracer tracer;

    private Tracing(OpenTelemetry openTelemetry, String service) {
        this.openTelemetry = openTelemetry;
        this.tracer = openTelemetry.getTracer("com.personasettings." + service);
    }

    /** From the {@code OTEL_*} environment, with nothing exported unless it says so. */
    public static Tracing forService(String service) {
        OpenTelemetrySdk sdk = AutoConfiguredOpenTelemetrySdk.builder()
                // Defaults that the OTEL_* variables (and -Dotel.* properties) override.
                .addPropertiesSupplier(() -> Map.of(
                        "otel.service.name", "persona-settings-" + service,
                        "otel.traces.exporter", "none",
                        "otel.metrics.exporter", "none",
                        "otel.logs.exporter", "none"))
                .disableShutdownHook()
                .build()
                .getOpenTelemetrySdk();
        return new Tracing(sdk, service);
    }

    /** Spans that are not recorded, but a trace context that still travels: for tests and tools. */
    public static Tracing off() {
        return new Tracing(OpenTelemetry.noop(), "off");
    }

    public Tracer tracer() {
        return tracer;
    }

    /** The context a message carries (its {@code traceparent}), or the root context when it carries none. */
    public static <C> Context extract(C carrier, Function<String, String> header) {
        return W3C.extract(Context.root(), carrier, new TextMapGetter<>() {
            @Override
            public Iterable<String> keys(C c) {
                return W3C.fields();
            }

            @Override
            public String get(C c, String key) {
                return c == null ? null : header.apply(key);
            }
        });
    }

    /** Writes the context's {@code traceparent} into a message's headers. */
    public static void inject(Context context, BiConsumer<String, String> header) {
        TextMapSetter<Void> setter = (carrier, key, value) -> header.accept(key, value);
        W3C.inject(context, null, setter);
    }

    /** The trace id of the span, or null when there is no valid one. */
    public static String traceId(Span span) {
        SpanContext context = span.getSpanContext();
        return context.isValid() ? context.getTraceId() : null;
    }

    @Override
    public void close() {
        if (openTelemetry instanceof OpenTelemetrySdk sdk) {
            sdk.close();
        }
    }
}
