package com.personasettings.gateway.auth;

import java.util.UUID;

/** The org an authenticated request acts for, and the key it used (recorded as the command's actor). */
public record Caller(UUID orgId, UUID keyId) {

    public String actor() {
        return "api-key:" + keyId;
    }
}
