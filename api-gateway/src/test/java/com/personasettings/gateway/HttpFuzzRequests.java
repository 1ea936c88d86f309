package com.personasettings.gateway;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Generators of HTTP requests for the gateway, from nearly right to nonsense. */
final class HttpFuzzRequests {

    /** What goes over the socket: the head as bytes (ISO-8859-1 chars), and a body or none. */
    record FuzzRequest(String method, String path, List<String> headers, byte[] body) {

        String head() {
            StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: localhost");
            headers.forEach(h -> head.append("\r\n").append(h));
            return head.toString();
        }

        @Override
        public String toString() {
            String shownPath = path.length() > 120 ? path.substring(0, 120) + "…(" + path.length() + ")" : path;
            return method + " " + shownPath + " " + headers.stream().map(h -> h.length() > 80 ? h.substring(0, 80) + "…" : h)
                    .toList() + " body " + (body == null ? "none" : body.length + " bytes: "
                    + new String(body, 0, Math.min(body.length, 160), StandardCharsets.UTF_8));
        }
    }

    /** Marks a header that is left out. */
    private static final String ABSENT = "(absent)";

    private final String key;
    private final String persona;
    private final String phone;

    /** @param key a valid API key; {@code persona} and {@code phone} exist and are attached to each other */
    HttpFuzzRequests(String key, String persona, String phone) {
        this.key = key;
        this.persona = persona;
        this.phone = phone;
    }

    Arbitrary<FuzzRequest> any() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Combinators.combine(method(), path(), headers(), body()).as(FuzzRequest::new)),
                Tuple.of(1, nearlyValidPatch()));
    }

    /** The seed endpoint, right in everything but the body's values: these reach Kafka and the processor. */
    private Arbitrary<FuzzRequest> nearlyValidPatch() {
        String path = "/v1/personas/" + persona + "/inbound/" + URLEncoder.encode(phone, StandardCharsets.UTF_8) + "/settings";
        Arbitrary<String> value = jsonValue();
        Arbitrary<String> body = Arbitraries.oneOf(Arbitraries.just("null"),
                Combinators.combine(value, value, value).as((a, b, c) -> "{\"pathway_id\": " + a
                        + ", \"pathway_version\": " + b + ", \"start_node_id\": " + c + "}"))
                .map(settings -> "{\"persona_settings\": " + settings + "}");
        Arbitrary<List<String>> headers = Arbitraries.of(List.of("authorization: " + key),
                List.of("authorization: " + key, "Prefer: respond-async"),
                List.of("authorization: " + key, "Idempotency-Key: fuzz-retry"));
        return Combinators.combine(headers, body).as((h, b) -> new FuzzRequest("PATCH", path, h,
                b.getBytes(StandardCharsets.UTF_8)));
    }

    private static Arbitrary<String> method() {
        return Arbitraries.frequencyOf(
                Tuple.of(10, Arbitraries.of("PATCH", "POST", "GET", "DELETE")),
                Tuple.of(2, Arbitraries.of("PUT", "HEAD", "OPTIONS", "TRACE", "CONNECT", "patch", "BREW")),
                Tuple.of(1, Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(12)));
    }

    private Arbitrary<String> path() {
        Arbitrary<String> personaSegment = segment(Arbitraries.of(persona, persona.toUpperCase(),
                "00000000-0000-0000-0000-000000000000", "not-a-uuid"));
        Arbitrary<String> phoneSegment = segment(Arbitraries.of(URLEncoder.encode(phone, StandardCharsets.UTF_8),
                phone, "%2B0", "14155551234"));
        return Arbitraries.frequencyOf(
                Tuple.of(8, Combinators.combine(personaSegment, phoneSegment)
                        .as((p, n) -> "/v1/personas/" + p + "/inbound/" + n + "/settings")),
                Tuple.of(2, Combinators.combine(personaSegment, phoneSegment)
                        .as((p, n) -> "/v1/personas/" + p + "/inbound/" + n + "/history")),
                Tuple.of(3, Combinators.combine(personaSegment, Arbitraries.of("attach", "detach", "x"))
                        .as((p, action) -> "/v1/personas/" + p + "/inbound/" + action)),
                Tuple.of(2, personaSegment.map(p -> "/v1/personas/" + p)),
                Tuple.of(1, Arbitraries.of("/v1/personas", "/v1/personas?page=1&limit=20", "/v1/personas?limit=-1",
                        "/v1/personas?page=99999999999999999999", "/v1/personas?limit=%00")),
                Tuple.of(2, segment(Arbitraries.strings().numeric().ofMaxLength(5)).map(id -> "/v1/commands/" + id)),
                Tuple.of(1, segment(Arbitraries.just("x")).map(s -> "/v1/" + s + "?" + s + "=" + s)),
                Tuple.of(1, rawBytes().map(s -> "/v1/" + s)));
    }

    /** A path segment: a usual value, percent-encoded anything, or raw text as bytes (Jetty must refuse it kindly). */
    private static Arbitrary<String> segment(Arbitrary<String> usual) {
        return Arbitraries.frequencyOf(
                Tuple.of(6, usual),
                Tuple.of(2, text().map(t -> URLEncoder.encode(t, StandardCharsets.UTF_8))),
                Tuple.of(1, rawBytes()),
                Tuple.of(1, Arbitraries.of("%", "%zz", "%2F", "..", "%2e%2e", ";a=b", "%00", "a b", "é", "J+B7yXTtd>;wp%P7QB")));
    }

    /** Text whose UTF-8 bytes go over the wire one char per byte, unescaped (no CR or LF: they end the line). */
    private static Arbitrary<String> rawBytes() {
        return text().map(t -> new String(t.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1)
                .replace("\r", "").replace("\n", "").replace(" ", ""));
    }

    private Arbitrary<List<String>> headers() {
        // Not injectNull: jqwik mixes edge cases in, and a null in every optional header at once is one of them.
        Arbitrary<String> authorization = Arbitraries.frequencyOf(
                Tuple.of(16, Arbitraries.just(key)),
                Tuple.of(1, Arbitraries.of("", "ps_", "Bearer " + key, key + key, "ps_" + "a".repeat(5_000))),
                Tuple.of(1, rawBytes()),
                Tuple.of(1, Arbitraries.just(ABSENT)));
        Arbitrary<String> contentType = Arbitraries.of("application/json", "text/plain", "application/x-www-form-urlencoded",
                "application/json; charset=latin1", "multipart/form-data; boundary=x", "\u00ff/\u00ff");
        Arbitrary<String> idempotencyKey = Arbitraries.oneOf(Arbitraries.strings().alpha().ofMaxLength(20), rawBytes());
        Arbitrary<String> prefer = Arbitraries.of("respond-async", "respond-async, wait=1", "nonsense");
        return Combinators.combine(authorization, contentType.injectNull(0.5),
                idempotencyKey.injectNull(0.8), prefer.injectNull(0.8), rawBytes().injectNull(0.9)).as((a, c, i, p, extra) -> {
            List<String> headers = new ArrayList<>();
            if (!ABSENT.equals(a)) {
                headers.add("authorization: " + a);
            }
            if (c != null) {
                headers.add("Content-Type: " + c);
            }
            if (i != null) {
                headers.add("Idempotency-Key: " + i);
            }
            if (p != null) {
                headers.add("Prefer: " + p);
            }
            if (extra != null && !extra.isEmpty()) {
                headers.add("X-Fuzz: " + extra);
            }
            return headers;
        });
    }

    private static Arbitrary<byte[]> body() {
        return Arbitraries.frequencyOf(
                Tuple.of(8, json().map(j -> j.getBytes(StandardCharsets.UTF_8))),
                Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(2_000)),
                Tuple.of(1, Arbitraries.just((byte[]) null)));
    }

    /** JSON-ish bodies: the right fields with any values, wrong types, deep nesting, duplicates, broken syntax. */
    private static Arbitrary<String> json() {
        Arbitrary<String> value = jsonValue();
        Arbitrary<String> settings = Combinators.combine(value, value, value).as((a, b, c) ->
                "{\"pathway_id\": " + a + ", \"pathway_version\": " + b + ", \"start_node_id\": " + c + "}");
        return Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.oneOf(settings, value).map(s -> "{\"persona_settings\": " + s + "}")),
                Tuple.of(2, value.list().ofMaxSize(5).map(l -> "{\"inbound_numbers\": [" + String.join(",", l) + "]}")),
                Tuple.of(1, value.map(v -> "{\"name\": " + v + ", \"description\": " + v + "}")),
                Tuple.of(1, value.map(v -> "{\"persona_settings\": null, \"persona_settings\": " + v + "}")),
                Tuple.of(1, Arbitraries.integers().between(1, 20_000).map(depth -> "[".repeat(depth) + "]".repeat(depth))),
                Tuple.of(1, Arbitraries.integers().between(1, 5_000).map(depth ->
                        "{\"persona_settings\": " + "{\"a\":".repeat(depth) + "1" + "}".repeat(depth) + "}")),
                Tuple.of(1, text()));
    }

    private static Arbitrary<String> jsonValue() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.of("\"pathway_abc123\"", "\"node_xyz\"", "2", "null", "\"Zürich 日本\"")),
                Tuple.of(3, text().map(HttpFuzzRequests::quoted)),
                Tuple.of(1, Arbitraries.of("\"\\u0000\"", "\"\\ud800\"", "\"\\udfff\\ud800\"", "\"a\\u0000b\"", "\"\\u202e\"")),
                Tuple.of(2, Arbitraries.of("0", "-1", "2", "1.5", "1e400", "-1e400", "9223372036854775807",
                        "9223372036854775808", "-9223372036854775809", "1" + "0".repeat(400), "NaN", "true", "null",
                        "[]", "{}", "[1,2]", "{\"x\": 1}")),
                Tuple.of(1, Arbitraries.longs().map(String::valueOf)),
                Tuple.of(1, Arbitraries.integers().between(60_000, 70_000).map(n -> "\"" + "x".repeat(n) + "\"")));
    }

    private static Arbitrary<String> text() {
        return Arbitraries.strings().all().ofMaxLength(300);
    }

    private static String quoted(String text) {
        StringBuilder json = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                json.append('\\').append(c);
            } else if (c < 0x20) {
                json.append(String.format("\\u%04x", (int) c));
            } else {
                json.append(c);
            }
        }
        return json.append('"').toString();
    }
}
