package com.personasettings.gateway.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.personasettings.gateway.auth.Caller;
import com.personasettings.gateway.db.IdempotencyKeysDao;
import com.personasettings.schemas.ErrorCode;
import com.personasettings.schemas.rules.FieldRules;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * An Idempotency-Key names one request of its org, as in the best payment APIs: sent again with the same request
 * it is a retry (the derived command ids make the processor answer with the first outcomes); sent with another
 * body, or to another endpoint, it is refused with 422 instead of being answered with the first request's outcome.
 */
final class IdempotencyKeys {

    /** Maps sorted by key: the same JSON object written with its fields in another order is the same request. */
    private static final ObjectMapper CANONICAL = JsonMapper.builder()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true).build();

    private final IdempotencyKeysDao keys;

    IdempotencyKeys(IdempotencyKeysDao keys) {
        this.keys = keys;
    }

    /**
     * Binds the key to this request, or checks that it is the request the key was first sent with.
     *
     * @param key     the {@code Idempotency-Key} header, or null (nothing to check)
     * @param request the method and normalised path (see {@link Commands#requestId}), the same for every spelling
     * @param body    the parsed body, or null for a request without one
     * @throws ApiException 400 for a key the value rules refuse, 422 {@code IDEMPOTENCY_KEY_REUSED} for another request
     */
    void claim(Caller caller, String key, String request, JsonNode body) {
        if (key == null) {
            return;
        }
        String problem = FieldRules.optionalText("Idempotency-Key", key, FieldRules.MAX_CHARACTERS);
        if (problem != null) {
            throw ApiException.invalid(problem);
        }
        String fingerprint = fingerprint(request, body);
        if (!fingerprint.equals(keys.claim(caller.orgId(), key, fingerprint))) {
            throw new ApiException(ErrorCode.IDEMPOTENCY_KEY_REUSED);
        }
    }

    static String fingerprint(String request, JsonNode body) {
        try {
            String canonical = body == null ? "" : CANONICAL.writeValueAsString(CANONICAL.treeToValue(body, Object.class));
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((request + "\n" + canonical).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a parsed body always writes", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
