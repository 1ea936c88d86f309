package com.personasettings.torture;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The requests of the load, from a seeded random source (the same seed gives the same requests). Of every 100:
 * <ul>
 *   <li>5 attach two or three movers to persona 0 or 1 (one command per number; with a key);</li>
 *   <li>8 clear a number's settings (with a key: a clear carries no token);</li>
 *   <li>5 send a negative pathway_version (INVALID_REQUEST);</li>
 *   <li>10 name a persona the number is certainly not attached to (INBOUND_NOT_FOUND);</li>
 *   <li>72 set new settings on the number's persona (a mover's persona is a guess: 200 or INBOUND_NOT_FOUND).</li>
 * </ul>
 * Every body that can carries a token unique to the request as its {@code pathway_id}, so its outcome row can be
 * found without a command id (a synchronous answer names none). 40 % of the others carry an
 * {@code Idempotency-Key}, and a tenth of keyed requests are sent twice; 30 % of all ask for a 202
 * ({@code Prefer: respond-async}). Requests alternate between the two gateways.
 */
final class Mix {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Setup setup;
    private final Random random;
    private final AtomicLong ids;

    Mix(Setup setup, long seed, AtomicLong ids) {
        this.setup = setup;
        this.random = new Random(seed);
        this.ids = ids;
    }

    /** The next request, first sent to gateway {@code gateway}. Called from one thread (the load's). */
    Intent next(int gateway) {
        long id = ids.incrementAndGet();
        String token = "tk" + id;
        int kind = random.nextInt(100);
        boolean async = random.nextInt(100) < 30;
        if (kind < 5) {
            return attach(id, gateway, async);
        }
        int n = random.nextInt(setup.numbers().size());
        if (kind < 13) {
            return patch(id, Intent.Kind.PATCH_CLEAR, persona(n), n, "{\"persona_settings\": null}", null, true,
                    gateway, async);
        }
        boolean keyed = random.nextInt(100) < 40;
        if (kind < 18) {
            return patch(id, Intent.Kind.PATCH_INVALID, persona(n), n, "{\"persona_settings\": {\"pathway_id\": \""
                    + token + "\", \"pathway_version\": -1}}", token, keyed, gateway, async);
        }
        if (kind < 28) {
            return patch(id, Intent.Kind.PATCH_WRONG_PERSONA, wrongPersona(n), n, settings(token), token, keyed,
                    gateway, async);
        }
        return patch(id, Intent.Kind.PATCH_SET, persona(n), n, settings(token), token, keyed, gateway, async);
    }

    private Intent patch(long id, Intent.Kind kind, String persona, int n, String body, String token, boolean keyed,
                         int gateway, boolean async) {
        String phone = setup.numbers().get(n);
        String path = "/v1/personas/" + persona + "/inbound/" + URLEncoder.encode(phone, StandardCharsets.UTF_8)
                + "/settings";
        return new Intent(id, kind, "PATCH", path, body, keyed ? key(id) : null, async, List.of(phone), token, gateway,
                keyed && random.nextInt(10) == 0);
    }

    private Intent attach(long id, int gateway, boolean async) {
        int movers = setup.movers();
        int count = 2 + random.nextInt(2);
        List<String> phones = new ArrayList<>();
        while (phones.size() < Math.min(count, movers)) {
            String phone = setup.numbers().get(setup.numbers().size() - movers + random.nextInt(movers));
            if (!phones.contains(phone)) {
                phones.add(phone);
            }
        }
        String path = "/v1/personas/" + setup.personas().get(random.nextInt(2)) + "/inbound/attach";
        try {
            return new Intent(id, Intent.Kind.ATTACH, "POST", path,
                    JSON.writeValueAsString(Map.of("inbound_numbers", phones)), key(id), async, phones, null, gateway,
                    random.nextInt(10) == 0);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The persona a number is on: its home, or for a mover one of the two it moves between. */
    private String persona(int n) {
        return setup.personas().get(setup.isMover(n) ? random.nextInt(2) : setup.homePersona(n));
    }

    /** A persona the number is never attached to. */
    private String wrongPersona(int n) {
        int personas = setup.personas().size();
        return setup.personas().get(setup.isMover(n) ? 2 : (setup.homePersona(n) + 1) % personas);
    }

    private String settings(String token) {
        StringBuilder body = new StringBuilder("{\"persona_settings\": {\"pathway_id\": \"" + token + "\"");
        if (random.nextBoolean()) {
            body.append(", \"pathway_version\": ").append(random.nextInt(10));
        }
        if (random.nextBoolean()) {
            body.append(", \"start_node_id\": \"node_").append(random.nextInt(20)).append('"');
        }
        return body.append("}}").toString();
    }

    private static String key(long id) {
        return "torture-" + id;
    }
}
