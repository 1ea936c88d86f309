package com.personasettings.domain;

/** The personas deleted so far, as known in the partition a command is decided in (see {@link Change.Retire}). */
@FunctionalInterface
public interface RetiredPersonas {

    /** For callers that know of no deletion (the gateway's pre-checks: it refuses a deleted persona itself). */
    RetiredPersonas NONE = (orgId, personaId) -> false;

    boolean isRetired(String orgId, String personaId);
}
