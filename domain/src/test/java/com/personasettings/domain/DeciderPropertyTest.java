package com.personasettings.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random walks: a seeded {@link Random} drives thousands of commands over a few numbers, orgs and personas,
 * folding each decision's next state into a map the way the state store does, and checks invariants after
 * every step. A failing seed reproduces exactly.
 */
class DeciderPropertyTest {

    private static final int STEPS = 5_000;
    private static final List<String> PHONES = List.of("+14155551234", "+14155550000", "+442071838750");
    private static final List<String> ORGS = List.of(Commands.ORG, Commands.OTHER_ORG);
    private static final List<String> PERSONAS = List.of(
            "11111111-1111-1111-1111-111111111111",
            "22222222-2222-2222-2222-222222222222",
            "33333333-3333-3333-3333-333333333333");

    private enum Kind { UPDATE, ATTACH, DETACH, PROVISION, RELEASE }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1L, 42L, 20250923L, -7L})
    void invariantsHoldAlongARandomWalk(long seed) {
        Random random = new Random(seed);
        Map<String, NumberState> store = new HashMap<>();
        Map<String, String> orgOfPhone = new HashMap<>();
        Map<Kind, Integer> successes = new EnumMap<>(Kind.class);
        Map<Kind, Integer> changes = new EnumMap<>(Kind.class);
        Instant clock = Instant.parse("2025-01-01T00:00:00Z");

        for (int step = 0; step < STEPS; step++) {
            clock = clock.plusMillis(random.nextInt(3)); // non-decreasing, sometimes equal
            Kind kind = Kind.values()[random.nextInt(Kind.values().length)];
            String phone = pick(random, PHONES);
            Command command = new Command(new UUID(seed, step), pick(random, ORGS), clock, "actor",
                    phone, randomChange(random, kind));
            NumberState before = store.get(phone);
            String context = "seed " + seed + " step " + step + ": " + command + " on " + before;

            Decision decision = Decider.decide(command, before);

            assertThat(Decider.decide(command, before)).as("deterministic, " + context).isEqualTo(decision);
            checkInvariants(command, kind, before, decision, orgOfPhone.get(phone), context);

            if (decision.outcome().succeeded()) {
                successes.merge(kind, 1, Integer::sum);
            }
            if (decision.changed()) {
                changes.merge(kind, 1, Integer::sum);
            }
            if (decision.next() == null) {
                store.remove(phone);
                orgOfPhone.remove(phone);
            } else {
                store.put(phone, decision.next());
                orgOfPhone.putIfAbsent(phone, decision.next().orgId());
            }
        }

        // The walk must actually reach every path, or the invariants above prove little.
        assertThat(successes).as("successes per kind").containsOnlyKeys(Kind.values());
        assertThat(changes).as("changes per kind").containsOnlyKeys(Kind.values());
    }

    private static void checkInvariants(Command command, Kind kind, NumberState before, Decision decision,
                                        String provisionedOrg, String context) {
        Outcome outcome = decision.outcome();
        NumberState next = decision.next();

        assertThat(outcome.data() == null).as("exactly one of data/errors, " + context)
                .isNotEqualTo(outcome.errors() == null);

        if (!outcome.succeeded()) {
            assertThat(outcome.errors()).as(context).hasSize(1);
            assertThat(next).as("a failure keeps the state, " + context).isSameAs(before);
            assertThat(decision.changed()).as("a failure changes nothing, " + context).isFalse();
        }
        if (!decision.changed()) {
            assertThat(next).as("unchanged means same state, " + context).isSameAs(before);
        }
        if (outcome.succeeded() && kind != Kind.RELEASE) {
            assertThat(outcome.data()).as("data is the next state, " + context).isEqualTo(next);
        }
        if (outcome.succeeded() && kind == Kind.RELEASE) {
            assertThat(outcome.data()).as("release answers the number as it was, " + context).isEqualTo(before);
            assertThat(next).as("released number has no state, " + context).isNull();
            assertThat(decision.changed()).as(context).isTrue();
        }
        if (before == null && kind != Kind.PROVISION) {
            assertThat(outcome.succeeded()).as("nothing but provision works on a missing number, " + context).isFalse();
        }
        boolean valid = Validation.check(command).isEmpty();
        if (!valid) {
            assertThat(outcome.errors()).as("invalid commands are INVALID_REQUEST, " + context)
                    .singleElement().extracting(ApiError::code).isEqualTo("INVALID_REQUEST");
        }
        if (valid && before != null && kind == Kind.PROVISION) {
            assertThat(outcome.errors()).as("no double provisioning, " + context)
                    .containsExactly(ApiError.NUMBER_ALREADY_PROVISIONED);
        }
        if (before != null && !before.orgId().equals(command.orgId()) && kind != Kind.PROVISION) {
            assertThat(outcome).as("another org's number looks missing, " + context)
                    .isEqualTo(Decider.decide(command, null).outcome());
        }
        if (next != null) {
            assertThat(next.phoneNumber()).as("state belongs to its key, " + context).isEqualTo(command.phoneNumber());
            assertThat(next.settings() == null || next.personaId() != null)
                    .as("settings imply a persona, " + context).isTrue();
            assertThat(next.updatedAt()).as(context).isNotNull();
            if (provisionedOrg != null) {
                assertThat(next.orgId()).as("a number never changes org, " + context).isEqualTo(provisionedOrg);
            }
            if (decision.changed()) {
                assertThat(next.updatedAt()).as("updated_at is issued_at, " + context).isEqualTo(command.issuedAt());
            }
        }
        if (before != null && next != null) {
            assertThat(next.id()).as("id is stable, " + context).isEqualTo(before.id());
            assertThat(next.orgId()).as("org is stable, " + context).isEqualTo(before.orgId());
            assertThat(next.label()).as("label is stable, " + context).isEqualTo(before.label());
            assertThat(next.updatedAt()).as("updated_at never goes back, " + context)
                    .isAfterOrEqualTo(before.updatedAt());
            if (!Objects.equals(next.personaId(), before.personaId())) {
                assertThat(next.settings()).as("settings never follow a number to another persona, " + context)
                        .isNull();
            }
        }
    }

    private static Change randomChange(Random random, Kind kind) {
        return switch (kind) {
            case UPDATE -> new Change.UpdateSettings(persona(random), randomSettings(random));
            case ATTACH -> new Change.Attach(persona(random));
            case DETACH -> new Change.Detach(persona(random));
            case PROVISION -> new Change.Provision(random.nextInt(20) == 0 ? 0 : 1 + random.nextInt(1000),
                    random.nextBoolean() ? null : "label " + random.nextInt(5));
            case RELEASE -> new Change.Release();
        };
    }

    /** Mostly one of a few valid personas; now and then a malformed id. */
    private static String persona(Random random) {
        return random.nextInt(20) == 0 ? "not-a-uuid" : pick(random, PERSONAS);
    }

    private static Settings randomSettings(Random random) {
        if (random.nextInt(4) == 0) {
            return null;
        }
        return new Settings(
                random.nextBoolean() ? null : "pathway_" + random.nextInt(3),
                random.nextBoolean() ? null : (long) random.nextInt(5) - (random.nextInt(10) == 0 ? 10 : 0),
                random.nextBoolean() ? null : "node_" + random.nextInt(3));
    }

    private static <T> T pick(Random random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }
}
