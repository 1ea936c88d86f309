package com.personasettings.domain;

import java.time.Instant;
import java.util.UUID;

/** Test fixtures: commands with sensible defaults, changed one field at a time through {@link Builder}. */
final class Commands {

    static final String ORG = "0a0a0a0a-0000-4000-8000-00000000000a";
    static final String OTHER_ORG = "0b0b0b0b-0000-4000-8000-00000000000b";
    static final String ACTOR = "key_123";
    static final String PHONE = "+14155551234";
    static final String PERSONA = "12345678-1234-1234-1234-123456789012";
    static final String OTHER_PERSONA = "abcdefab-cdef-abcd-efab-cdefabcdefab";
    static final long NUMBER_ID = 42L;
    static final String LABEL = "Main line";
    static final Instant T0 = Instant.parse("2025-09-23T15:00:00Z");
    static final Instant T1 = Instant.parse("2025-09-23T16:00:00Z");
    static final Settings FULL_SETTINGS = new Settings("pathway_abc123", 2L, "node_xyz");

    private Commands() {
    }

    static Builder updateSettings(String personaId, Settings settings) {
        return new Builder(new Change.UpdateSettings(personaId, settings));
    }

    static Builder attach(String personaId) {
        return new Builder(new Change.Attach(personaId));
    }

    static Builder detach(String personaId) {
        return new Builder(new Change.Detach(personaId));
    }

    static Builder provision(long numberId, String label) {
        return new Builder(new Change.Provision(numberId, label));
    }

    static Builder provision() {
        return provision(NUMBER_ID, LABEL);
    }

    static Builder release() {
        return new Builder(new Change.Release());
    }

    /** A persona's retirement, the copy for {@code partition}: no phone number. */
    static Builder retire(String personaId, int partition) {
        return new Builder(new Change.Retire(personaId, partition)).phone("");
    }

    /** A string of {@code length} characters. */
    static String text(int length) {
        return "x".repeat(length);
    }

    /** Immutable: every wither returns a new builder. Defaults: {@link #ORG}, {@link #ACTOR}, {@link #PHONE}, {@link #T1}. */
    record Builder(UUID commandId, String orgId, Instant issuedAt, String actor, String phoneNumber, Change change) {

        Builder(Change change) {
            this(UUID.fromString("00000000-0000-0000-0000-000000000001"), ORG, T1, ACTOR, PHONE, change);
        }

        Builder org(String org) {
            return new Builder(commandId, org, issuedAt, actor, phoneNumber, change);
        }

        Builder at(Instant at) {
            return new Builder(commandId, orgId, at, actor, phoneNumber, change);
        }

        Builder actor(String by) {
            return new Builder(commandId, orgId, issuedAt, by, phoneNumber, change);
        }

        Builder phone(String phone) {
            return new Builder(commandId, orgId, issuedAt, actor, phone, change);
        }

        Builder id(UUID id) {
            return new Builder(id, orgId, issuedAt, actor, phoneNumber, change);
        }

        Command build() {
            return new Command(commandId, orgId, issuedAt, actor, phoneNumber, change);
        }
    }
}
