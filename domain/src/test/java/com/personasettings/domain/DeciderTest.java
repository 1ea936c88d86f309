package com.personasettings.domain;

import static com.personasettings.domain.Commands.FULL_SETTINGS;
import static com.personasettings.domain.Commands.LABEL;
import static com.personasettings.domain.Commands.NUMBER_ID;
import static com.personasettings.domain.Commands.ORG;
import static com.personasettings.domain.Commands.OTHER_ORG;
import static com.personasettings.domain.Commands.OTHER_PERSONA;
import static com.personasettings.domain.Commands.PERSONA;
import static com.personasettings.domain.Commands.PHONE;
import static com.personasettings.domain.Commands.T0;
import static com.personasettings.domain.Commands.T1;
import static com.personasettings.domain.DecisionAssertions.INBOUND_NOT_FOUND_MESSAGE;
import static com.personasettings.domain.DecisionAssertions.INVALID_INBOUND_NUMBERS_MESSAGE;
import static com.personasettings.domain.DecisionAssertions.assertChangedTo;
import static com.personasettings.domain.DecisionAssertions.assertFailed;
import static com.personasettings.domain.DecisionAssertions.assertSucceededUnchanged;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.time.Instant;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DeciderTest {

    private static Decision decide(Commands.Builder command, NumberState current) {
        return Decider.decide(command.build(), current);
    }

    /** Every change that needs an existing number of the caller's org, with the error it gets when there is none. */
    static Stream<Arguments> changesOnAnExistingNumber() {
        return Stream.of(
                arguments(Commands.updateSettings(PERSONA, FULL_SETTINGS), "INBOUND_NOT_FOUND", INBOUND_NOT_FOUND_MESSAGE),
                arguments(Commands.updateSettings(PERSONA, null), "INBOUND_NOT_FOUND", INBOUND_NOT_FOUND_MESSAGE),
                arguments(Commands.attach(PERSONA), "INVALID_INBOUND_NUMBERS", INVALID_INBOUND_NUMBERS_MESSAGE),
                arguments(Commands.detach(PERSONA), "INBOUND_NOT_FOUND", INBOUND_NOT_FOUND_MESSAGE),
                arguments(Commands.release(), "INBOUND_NOT_FOUND", "Inbound number not found"));
    }

    @Nested
    @DisplayName("a deleted persona (RetirePersona)")
    class RetiredPersona {

        private final RetiredPersonas retired = (org, persona) -> org.equals(ORG) && persona.equals(PERSONA);

        @Test
        void anAttachToItIsPersonaNotFoundAndChangesNothing() {
            NumberState number = States.attached(OTHER_PERSONA, FULL_SETTINGS);

            Decision decision = Decider.decide(Commands.attach(PERSONA).build(), number, retired);

            assertFailed(decision, "PERSONA_NOT_FOUND", "Persona not found or access denied", number);
            assertThat(Decider.decide(Commands.attach(PERSONA).org(OTHER_ORG).build(),
                    States.provisioned(OTHER_ORG), retired).outcome().succeeded())
                    .as("another org's persona of that id is not retired").isTrue();
        }

        @Test
        void itsRetirementDetachesTheOrgsNumbersAttachedToItAndNoOthers() {
            NumberState mine = States.attached(PERSONA, FULL_SETTINGS);
            NumberState elsewhere = new NumberState(8, "+14155550008", ORG, null, OTHER_PERSONA, null, T0);
            NumberState theirs = new NumberState(9, "+14155550009", OTHER_ORG, null, PERSONA, null, T0);

            Decider.Retirement retirement = Decider.retire(Commands.retire(PERSONA, 2).at(T1).build(), 2,
                    java.util.List.of(theirs, elsewhere, mine));

            assertThat(retirement.outcome()).isEqualTo(Outcome.done());
            assertThat(retirement.detached()).containsExactly(
                    new NumberState(mine.id(), mine.phoneNumber(), ORG, mine.label(), null, null, T1));
        }

        @Test
        void aRetirementReadFromAnotherPartitionOrAboutNoValidPersonaIsRefused() {
            NumberState mine = States.attached(PERSONA);

            assertThat(Decider.retire(Commands.retire(PERSONA, 2).build(), 0, java.util.List.of(mine)))
                    .satisfies(r -> assertThat(r.detached()).isEmpty())
                    .satisfies(r -> assertThat(r.outcome().errors()).singleElement().isEqualTo(ApiError.invalidRequest(
                            "partition is 2 but the command was sent to partition 0")));
            assertThat(Decider.retire(Commands.retire("not-a-uuid", 0).build(), 0, java.util.List.of(mine))
                    .outcome().errors()).singleElement().satisfies(e -> assertThat(e.code()).isEqualTo("INVALID_REQUEST"));
            assertThat(Decider.retire(Commands.retire(PERSONA, 0).phone(PHONE).build(), 0, java.util.List.of(mine))
                    .outcome().errors()).singleElement().satisfies(e -> assertThat(e.message())
                    .isEqualTo("phone_number must be empty in a command about a persona"));
        }

        @Test
        void aNumbersCommandWithoutANumberIsInvalid() {
            Decision decision = decide(Commands.attach(PERSONA).phone(""), States.attached(OTHER_PERSONA));

            assertThat(decision.outcome().errors()).singleElement()
                    .satisfies(error -> assertThat(error.code()).isEqualTo("INVALID_REQUEST"));
            assertThat(decision.changed()).isFalse();
        }
    }

    @Nested
    @DisplayName("a number that does not exist for the caller")
    class MissingNumber {

        @ParameterizedTest(name = "{0} on a never provisioned number -> {1}")
        @MethodSource("com.personasettings.domain.DeciderTest#changesOnAnExistingNumber")
        void neverProvisionedNumberFailsWithoutState(Commands.Builder command, String code, String message) {
            assertFailed(decide(command, null), code, message, null);
        }

        @ParameterizedTest(name = "{0} on another org's number -> {1}, state unchanged")
        @MethodSource("com.personasettings.domain.DeciderTest#changesOnAnExistingNumber")
        void anotherOrgsNumberFailsAndKeepsItsState(Commands.Builder command, String code, String message) {
            NumberState theirs = States.attached(OTHER_ORG, PERSONA, FULL_SETTINGS);

            Decision decision = decide(command, theirs);

            assertFailed(decision, code, message, theirs);
            assertThat(decision.next()).isSameAs(theirs);
        }

        @ParameterizedTest(name = "{0} on another org's number looks exactly like a missing one")
        @MethodSource("com.personasettings.domain.DeciderTest#changesOnAnExistingNumber")
        void anotherOrgsNumberIsIndistinguishableFromAMissingOne(Commands.Builder command) {
            Outcome onMissing = decide(command, null).outcome();

            assertThat(decide(command, States.attached(OTHER_ORG, PERSONA, FULL_SETTINGS)).outcome()).isEqualTo(onMissing);
            assertThat(decide(command, States.provisioned(OTHER_ORG)).outcome()).isEqualTo(onMissing);
        }

        @Test
        void orgIdsAreComparedExactly() {
            // Another spelling of the same UUID (only state written before org ids had to be lower-case holds one).
            NumberState theirs = States.attached(ORG.toUpperCase(), PERSONA, FULL_SETTINGS);

            assertFailed(decide(Commands.updateSettings(PERSONA, null).org(ORG), theirs),
                    "INBOUND_NOT_FOUND", INBOUND_NOT_FOUND_MESSAGE, theirs);
        }
    }

    @Nested
    @DisplayName("update settings")
    class UpdateSettings {

        @Test
        void setsAllFieldsAndStampsUpdatedAtWithIssuedAt() {
            NumberState before = States.attached(PERSONA);

            Decision decision = decide(Commands.updateSettings(PERSONA, FULL_SETTINGS).at(T1), before);

            assertChangedTo(decision, new NumberState(NUMBER_ID, PHONE, ORG, LABEL, PERSONA, FULL_SETTINGS, T1));
        }

        @Test
        @DisplayName("reproduces Bland's documented example")
        void blandsExample() {
            Instant at = Instant.parse("2025-09-23T16:00:00.000Z");
            Settings settings = new Settings("pathway_abc123", 2L, "node_xyz");

            Decision decision = decide(Commands.updateSettings("12345678-1234-1234-1234-123456789012", settings)
                    .phone("+14155551234").at(at), States.attached("12345678-1234-1234-1234-123456789012"));

            NumberState data = decision.outcome().data();
            assertThat(data.id()).isEqualTo(42L);
            assertThat(data.phoneNumber()).isEqualTo("+14155551234");
            assertThat(data.personaId()).isEqualTo("12345678-1234-1234-1234-123456789012");
            assertThat(data.settings()).isEqualTo(new Settings("pathway_abc123", 2L, "node_xyz"));
            assertThat(data.updatedAt()).hasToString("2025-09-23T16:00:00Z");
        }

        @Test
        void partialSettingsKeepTheirNullFields() {
            Settings partial = new Settings("pathway_abc123", null, null);

            Decision decision = decide(Commands.updateSettings(PERSONA, partial), States.attached(PERSONA));

            assertChangedTo(decision, new NumberState(NUMBER_ID, PHONE, ORG, LABEL, PERSONA, partial, T1));
        }

        @Test
        @DisplayName("the new object replaces the old one: fields absent from it are not merged in")
        void replacesRatherThanMerges() {
            NumberState before = States.attached(PERSONA, FULL_SETTINGS);
            Settings onlyVersion = new Settings(null, 7L, null);

            Decision decision = decide(Commands.updateSettings(PERSONA, onlyVersion), before);

            assertChangedTo(decision, new NumberState(NUMBER_ID, PHONE, ORG, LABEL, PERSONA, onlyVersion, T1));
            assertThat(decision.next().settings().pathwayId()).isNull();
            assertThat(decision.next().settings().startNodeId()).isNull();
        }

        @Test
        void nullSettingsClearThem() {
            NumberState before = States.attached(PERSONA, FULL_SETTINGS);

            Decision decision = decide(Commands.updateSettings(PERSONA, null), before);

            assertChangedTo(decision, new NumberState(NUMBER_ID, PHONE, ORG, LABEL, PERSONA, null, T1));
        }

        @Test
        @DisplayName("an all-null settings object stays an object, distinct from cleared settings")
        void allNullSettingsObjectIsKept() {
            Settings empty = new Settings(null, null, null);

            Decision decision = decide(Commands.updateSettings(PERSONA, empty), States.attached(PERSONA, FULL_SETTINGS));

            assertChangedTo(decision, new NumberState(NUMBER_ID, PHONE, ORG, LABEL, PERSONA, empty, T1));
            assertThat(decision.next().settings()).isNotNull();
        }

        @Test
        void zeroPathwayVersionIsAccepted() {
            Settings v0 = new Settings("p", 0L, "n");

            assertChangedTo(decide(Commands.updateSettings(PERSONA, v0), States.attached(PERSONA)),
                    new NumberState(NUMBER_ID, PHONE, ORG, LABEL, PERSONA, v0, T1));
        }

        @Test
        @DisplayName("updated_at is the command's issued_at even when that is far in the past, never the clock")
        void updatedAtComesFromTheCommandNotTheClock() {
            Instant longAgo = Instant.parse("2001-01-01T00:00:00Z");
            Instant farFuture = Instant.parse("2999-12-31T23:59:59.999Z");

            assertThat(decide(Commands.updateSettings(PERSONA, FULL_SETTINGS).at(longAgo), States.attached(PERSONA))
                    .next().updatedAt()).isEqualTo(longAgo);
            assertThat(decide(Commands.updateSettings(PERSONA, FULL_SETTINGS).at(farFuture), States.attached(PERSONA))
                    .next().updatedAt()).isEqualTo(farFuture);
        }

        @Test
        void keepsIdPhoneOrgLabelAndPersona() {
            NumberState before = new NumberState(7L, "+442071838750", ORG, "London", PERSONA, null, T0);

            Decision decision = decide(Commands.updateSettings(PERSONA, FULL_SETTINGS).phone("+442071838750"), before);

            assertChangedTo(decision, new NumberState(7L, "+442071838750", ORG, "London", PERSONA, FULL_SETTINGS, T1));
        }

        @Test
        void numberAttachedToNothingIsNotFound() {
            NumberState before = States.provisioned();

            assertFailed(decide(Commands.updateSettings(PERSONA, FULL_SETTINGS), before),
                    "INBOUND_NOT_FOUND", INBOUND_NOT_FOUND_MESSAGE, before);
        }

        @Test
        void numberAttachedToAnotherPersonaIsNotFound() {
            NumberState before = States.attached(OTHER_PERSONA, FULL_SETTINGS);

            assertFailed(decide(Commands.updateSettings(PERSONA, null), before),
                    "INBOUND_NOT_FOUND", INBOUND_NOT_FOUND_MESSAGE, before);
        }
    }

    @Nested
    @DisplayName("attach")
    class Attach {

        @Test
        void firstAttachSetsPersonaWithoutSettings() {
            Decision decision = decide(Commands.attach(PERSONA), States.provisioned());

            assertChangedTo(decision, new NumberState(NUMBER_ID, PHONE, ORG, LABEL, PERSONA, null, T1));
        }

        @Test
        @DisplayName("attaching again to the same persona succeeds and changes nothing, not even updated_at")
        void reattachToSamePersonaIsANoOp() {
            NumberState before = States.attached(PERSONA, FULL_SETTINGS);

            Decision decision = decide(Commands.attach(PERSONA).at(T1), before);

            assertSucceededUnchanged(decision, before);
            assertThat(decision.next().updatedAt()).isEqualTo(T0);
            assertThat(decision.next().settings()).isEqualTo(FULL_SETTINGS);
        }

        @Test
        @DisplayName("attaching a number of another persona moves it and clears its settings")
        void attachMovesFromAnotherPersonaAndClearsSettings() {
            NumberState before = States.attached(OTHER_PERSONA, FULL_SETTINGS);

            Decision decision = decide(Commands.attach(PERSONA), before);

            assertChangedTo(decision, new NumberState(NUMBER_ID, PHONE, ORG, LABEL, PERSONA, null, T1));
        }

        @Test
        void missingNumberIsInvalidInboundNumbers() {
            assertFailed(decide(Commands.attach(PERSONA), null),
                    "INVALID_INBOUND_NUMBERS", "Some phone numbers were not found or do not belong to you", null);
        }

        @Test
        void anotherOrgsNumberIsInvalidInboundNumbers() {
            NumberState theirs = States.provisioned(OTHER_ORG);

            assertFailed(decide(Commands.attach(PERSONA), theirs),
                    "INVALID_INBOUND_NUMBERS", "Some phone numbers were not found or do not belong to you", theirs);
        }
    }

    @Nested
    @DisplayName("detach")
    class Detach {

        @Test
        void detachClearsPersonaAndSettings() {
            Decision decision = decide(Commands.detach(PERSONA), States.attached(PERSONA, FULL_SETTINGS));

            assertChangedTo(decision, new NumberState(NUMBER_ID, PHONE, ORG, LABEL, null, null, T1));
        }

        @Test
        void detachFromAnotherPersonaSucceedsUnchanged() {
            NumberState before = States.attached(OTHER_PERSONA, FULL_SETTINGS);

            assertSucceededUnchanged(decide(Commands.detach(PERSONA), before), before);
        }

        @Test
        void detachOfAnUnattachedNumberSucceedsUnchanged() {
            NumberState before = States.provisioned();

            assertSucceededUnchanged(decide(Commands.detach(PERSONA), before), before);
        }

        @Test
        void missingNumberIsNotFound() {
            assertFailed(decide(Commands.detach(PERSONA), null), "INBOUND_NOT_FOUND", INBOUND_NOT_FOUND_MESSAGE, null);
        }

        @Test
        void anotherOrgsNumberIsNotFound() {
            NumberState theirs = States.attached(OTHER_ORG, PERSONA, FULL_SETTINGS);

            assertFailed(decide(Commands.detach(PERSONA), theirs), "INBOUND_NOT_FOUND", INBOUND_NOT_FOUND_MESSAGE, theirs);
        }
    }

    @Nested
    @DisplayName("provision")
    class Provision {

        @Test
        void newNumberTakesIdLabelOrgPhoneAndIssuedAtFromTheCommand() {
            Decision decision = decide(Commands.provision(99L, "Support").org(OTHER_ORG).phone("+33142685300").at(T0), null);

            assertChangedTo(decision, new NumberState(99L, "+33142685300", OTHER_ORG, "Support", null, null, T0));
        }

        @Test
        void labelIsOptional() {
            assertChangedTo(decide(Commands.provision(1L, null), null),
                    new NumberState(1L, PHONE, ORG, null, null, null, T1));
        }

        @Test
        void provisioningTwiceInTheSameOrgFails() {
            NumberState before = States.attached(PERSONA, FULL_SETTINGS);

            assertFailed(decide(Commands.provision(), before),
                    "NUMBER_ALREADY_PROVISIONED", "Phone number is already provisioned", before);
        }

        @Test
        void provisioningANumberOfAnotherOrgFails() {
            NumberState theirs = States.provisioned(OTHER_ORG);

            assertFailed(decide(Commands.provision(), theirs),
                    "NUMBER_ALREADY_PROVISIONED", "Phone number is already provisioned", theirs);
        }

        @Test
        void provisioningAfterReleaseStartsAfresh() {
            Decision released = decide(Commands.release().at(T0), States.attached(PERSONA, FULL_SETTINGS));

            Decision again = decide(Commands.provision(43L, "New").org(OTHER_ORG), released.next());

            assertChangedTo(again, new NumberState(43L, PHONE, OTHER_ORG, "New", null, null, T1));
        }
    }

    @Nested
    @DisplayName("release")
    class Release {

        @Test
        @DisplayName("releasing an attached number answers the number as it was and leaves no state")
        void releaseOfAnAttachedNumber() {
            NumberState before = States.attached(PERSONA, FULL_SETTINGS);

            Decision decision = decide(Commands.release().at(T1), before);

            assertThat(decision.outcome().succeeded()).isTrue();
            assertThat(decision.outcome().errors()).isNull();
            assertThat(decision.outcome().data()).isEqualTo(before);
            assertThat(decision.outcome().data().updatedAt()).isEqualTo(T0);
            assertThat(decision.next()).isNull();
            assertThat(decision.changed()).isTrue();
        }

        @Test
        void releaseOfAnUnattachedNumber() {
            NumberState before = States.provisioned();

            Decision decision = decide(Commands.release(), before);

            assertThat(decision.outcome().data()).isEqualTo(before);
            assertThat(decision.next()).isNull();
            assertThat(decision.changed()).isTrue();
        }

        @Test
        void releaseOfAMissingNumberFails() {
            assertFailed(decide(Commands.release(), null), "INBOUND_NOT_FOUND", "Inbound number not found", null);
        }

        @Test
        void releaseOfAnotherOrgsNumberFailsAndKeepsIt() {
            NumberState theirs = States.attached(OTHER_ORG, PERSONA, FULL_SETTINGS);

            assertFailed(decide(Commands.release(), theirs), "INBOUND_NOT_FOUND", "Inbound number not found", theirs);
        }
    }

    @Nested
    @DisplayName("determinism")
    class Determinism {

        static Stream<Arguments> commandsAndStates() {
            NumberState attached = States.attached(PERSONA, FULL_SETTINGS);
            return Stream.of(
                    arguments(Commands.updateSettings(PERSONA, FULL_SETTINGS), attached),
                    arguments(Commands.updateSettings(OTHER_PERSONA, null), attached),
                    arguments(Commands.attach(OTHER_PERSONA), attached),
                    arguments(Commands.attach(PERSONA), null),
                    arguments(Commands.detach(PERSONA), attached),
                    arguments(Commands.provision(), null),
                    arguments(Commands.provision(), attached),
                    arguments(Commands.release(), attached),
                    arguments(Commands.release().org(OTHER_ORG), attached),
                    arguments(Commands.attach("nope"), attached));
        }

        @ParameterizedTest(name = "[{index}] {0}")
        @MethodSource("commandsAndStates")
        void sameCommandAndStateGiveEqualDecisions(Commands.Builder command, NumberState state) {
            Decision first = decide(command, state);
            Decision second = decide(command, state);

            assertThat(second).isEqualTo(first);
        }

        @Test
        void commandIdAndActorDoNotInfluenceTheOutcome() {
            NumberState before = States.attached(PERSONA);
            Commands.Builder command = Commands.updateSettings(PERSONA, FULL_SETTINGS);

            assertThat(decide(command.id(UUID.randomUUID()).actor("svc-billing"), before))
                    .isEqualTo(decide(command, before));
        }
    }
}
