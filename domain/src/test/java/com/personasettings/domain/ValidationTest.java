package com.personasettings.domain;

import static com.personasettings.domain.Commands.FULL_SETTINGS;
import static com.personasettings.domain.Commands.OTHER_ORG;
import static com.personasettings.domain.Commands.PERSONA;
import static com.personasettings.domain.Commands.text;
import static com.personasettings.domain.DecisionAssertions.assertInvalidRequest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** Shape checks: every invalid command fails with INVALID_REQUEST naming the field, and never changes state. */
class ValidationTest {

    private static final String PHONE_MESSAGE = "phone_number must be an E.164 phone number such as +14155551234";
    private static final String PERSONA_MESSAGE = "persona_id must be a lower-case UUID";
    private static final String ORG_MESSAGE = "org_id must be a lower-case UUID";

    /** One of each change, all valid, so a test can break exactly one field. */
    static Stream<Commands.Builder> everyKindOfCommand() {
        return Stream.of(
                Commands.updateSettings(PERSONA, FULL_SETTINGS),
                Commands.updateSettings(PERSONA, null),
                Commands.attach(PERSONA),
                Commands.detach(PERSONA),
                Commands.provision(),
                Commands.release());
    }

    /** The states an invalid command could meet; none of them may change. */
    static Stream<NumberState> states() {
        return Stream.of(null, States.provisioned(), States.attached(PERSONA, FULL_SETTINGS),
                States.attached(OTHER_ORG, PERSONA, FULL_SETTINGS));
    }

    private static void assertRejectedEverywhere(Commands.Builder command, String message) {
        states().forEach(state -> assertInvalidRequest(Decider.decide(command.build(), state), message, state));
    }

    private static void assertAccepted(Commands.Builder command) {
        assertThat(Validation.check(command.build())).isEmpty();
    }

    @Test
    void everyValidFixtureCommandPasses() {
        everyKindOfCommand().forEach(ValidationTest::assertAccepted);
    }

    @Nested
    @DisplayName("phone_number")
    class PhoneNumber {

        @ParameterizedTest(name = "rejects \"{0}\"")
        @NullAndEmptySource
        @ValueSource(strings = {
                "14155551234",          // missing +
                "+04155551234",         // country code cannot start with 0
                "+1415555ABCD",         // letters
                "+1234567890123456",    // 16 digits, over E.164's 15
                "+1",                   // too short
                "+",
                "++14155551234",
                "+1 415 555 1234",
                "+1-415-555-1234",
                "+1(415)5551234",
                " +14155551234",
                "+14155551234 ",
                "+14155551234\n",
                "+١٤١٥٥٥٥١٢٣٤"          // non-ASCII digits
        })
        void rejectsMalformedNumbersForEveryKindOfCommand(String phone) {
            everyKindOfCommand().forEach(command -> assertRejectedEverywhere(command.phone(phone), PHONE_MESSAGE));
        }

        @ParameterizedTest(name = "accepts \"{0}\"")
        @ValueSource(strings = {"+14155551234", "+442071838750", "+123456789012345", "+12"})
        void acceptsWellFormedNumbers(String phone) {
            assertThat(Validation.isE164(phone)).isTrue();
            everyKindOfCommand().forEach(command -> assertAccepted(command.phone(phone)));
        }

        @Test
        void isE164RejectsNull() {
            assertThat(Validation.isE164(null)).isFalse();
        }
    }

    @Nested
    @DisplayName("persona_id")
    class PersonaId {

        static Stream<Arguments> changesWithAPersona() {
            return Stream.of(
                    arguments("update settings", (PersonaCommand) p -> Commands.updateSettings(p, FULL_SETTINGS)),
                    arguments("clear settings", (PersonaCommand) p -> Commands.updateSettings(p, null)),
                    arguments("attach", (PersonaCommand) Commands::attach),
                    arguments("detach", (PersonaCommand) Commands::detach));
        }

        interface PersonaCommand {
            Commands.Builder with(String personaId);
        }

        static Stream<String> malformedPersonaIds() {
            return Stream.of(null, "", " ", "not-a-uuid", "persona_123",
                    "12345678-1234-1234-1234-12345678901",    // one hex digit short
                    "12345678-1234-1234-1234-1234567890123",  // one too many
                    "12345678123412341234123456789012",       // no dashes
                    "{12345678-1234-1234-1234-123456789012}",
                    "g2345678-1234-1234-1234-123456789012",   // not hex
                    " 12345678-1234-1234-1234-123456789012");
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("changesWithAPersona")
        void rejectsMalformedPersonaIds(String kind, PersonaCommand command) {
            malformedPersonaIds().forEach(id -> assertRejectedEverywhere(command.with(id), PERSONA_MESSAGE));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("changesWithAPersona")
        void acceptsLowerCaseUuids(String kind, PersonaCommand command) {
            assertAccepted(command.with("12345678-1234-1234-1234-123456789012"));
            assertAccepted(command.with("abcdefab-cdef-abcd-efab-cdefabcdefab"));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("changesWithAPersona")
        void rejectsUpperCaseUuidsSoOneIdHasOneSpelling(String kind, PersonaCommand command) {
            assertRejectedEverywhere(command.with("ABCDEFAB-CDEF-ABCD-EFAB-CDEFABCDEFAB"), PERSONA_MESSAGE);
        }
    }

    @Nested
    @DisplayName("org_id and actor")
    class OrgAndActor {

        @ParameterizedTest(name = "org_id \"{0}\"")
        @NullAndEmptySource
        @ValueSource(strings = {" ", "\t", "  \n "})
        void blankOrgIsRefused(String org) {
            everyKindOfCommand().forEach(command -> assertRejectedEverywhere(command.org(org), ORG_MESSAGE));
        }

        /** Org ids are uuid in PostgreSQL (the gateway's orgs and the processor's rows): anything else names no org. */
        @ParameterizedTest(name = "org_id \"{0}\"")
        @ValueSource(strings = {"org-1", "acme", "0A0A0A0A-0000-4000-8000-00000000000A", "0a0a0a0a00004000800000000000000a",
                "{0a0a0a0a-0000-4000-8000-00000000000a}", " 0a0a0a0a-0000-4000-8000-00000000000a",
                "0a0a0a0a-0000-4000-8000-00000000000a0", "0a0a0a0a-0000-4000-8000-00000000000\u0000"})
        void anOrgThatIsNotALowerCaseUuidIsRefused(String org) {
            everyKindOfCommand().forEach(command -> assertRejectedEverywhere(command.org(org), ORG_MESSAGE));
        }

        @Test
        void anOrgIdIsALowerCaseUuid() {
            everyKindOfCommand().forEach(command -> assertAccepted(command.org("ffffffff-ffff-4fff-bfff-ffffffffffff")));
        }

        @ParameterizedTest(name = "actor \"{0}\"")
        @NullAndEmptySource
        @ValueSource(strings = {" ", "\t", "  \n "})
        void blankActorIsRequired(String actor) {
            everyKindOfCommand().forEach(command -> assertRejectedEverywhere(command.actor(actor), "actor is required"));
        }

        @Test
        void orgAndActorAreLimitedTo255Characters() {
            everyKindOfCommand().forEach(command -> {
                assertAccepted(command.actor(text(255)));
                assertRejectedEverywhere(command.org(text(256)), ORG_MESSAGE);
                assertRejectedEverywhere(command.actor(text(256)), "actor must be at most 255 characters");
            });
        }
    }

    @Nested
    @DisplayName("persona_settings")
    class PersonaSettings {

        private Commands.Builder update(Settings settings) {
            return Commands.updateSettings(PERSONA, settings);
        }

        @Test
        void stringsOf255CharactersAreAccepted() {
            assertAccepted(update(new Settings(text(255), 1L, text(255))));
        }

        @Test
        void pathwayIdOver255CharactersIsRejected() {
            assertRejectedEverywhere(update(new Settings(text(256), 1L, "n")),
                    "persona_settings.pathway_id must be at most 255 characters");
        }

        @Test
        void startNodeIdOver255CharactersIsRejected() {
            assertRejectedEverywhere(update(new Settings("p", 1L, text(256))),
                    "persona_settings.start_node_id must be at most 255 characters");
        }

        @ParameterizedTest(name = "\"{0}\"")
        @ValueSource(strings = {"", " ", "\t"})
        void blankStringsAreRejected(String blank) {
            assertRejectedEverywhere(update(new Settings(blank, null, null)),
                    "persona_settings.pathway_id must not be blank");
            assertRejectedEverywhere(update(new Settings(null, null, blank)),
                    "persona_settings.start_node_id must not be blank");
        }

        @ParameterizedTest(name = "pathway_version {0}")
        @ValueSource(longs = {-1L, -2L, Long.MIN_VALUE})
        void negativePathwayVersionIsRejected(long version) {
            assertRejectedEverywhere(update(new Settings("p", version, "n")),
                    "persona_settings.pathway_version must not be negative");
        }

        @ParameterizedTest(name = "pathway_version {0}")
        @ValueSource(longs = {0L, 1L, Long.MAX_VALUE})
        void nonNegativePathwayVersionIsAccepted(long version) {
            assertAccepted(update(new Settings("p", version, "n")));
        }

        @Test
        void allNullAndNullSettingsAreAccepted() {
            assertAccepted(update(new Settings(null, null, null)));
            assertAccepted(update(null));
        }

        @Test
        void firstBadFieldIsReportedInFieldOrder() {
            assertRejectedEverywhere(update(new Settings(text(256), -1L, text(256))),
                    "persona_settings.pathway_id must be at most 255 characters");
            assertRejectedEverywhere(update(new Settings("p", -1L, text(256))),
                    "persona_settings.pathway_version must not be negative");
        }
    }

    @Nested
    @DisplayName("provision")
    class Provision {

        @ParameterizedTest(name = "number_id {0}")
        @ValueSource(longs = {0L, -1L, Long.MIN_VALUE})
        void numberIdMustBePositive(long id) {
            assertRejectedEverywhere(Commands.provision(id, "label"), "number_id must be a positive integer");
        }

        @ParameterizedTest(name = "number_id {0}")
        @ValueSource(longs = {1L, Long.MAX_VALUE})
        void positiveNumberIdIsAccepted(long id) {
            assertAccepted(Commands.provision(id, "label"));
        }

        @Test
        void labelIsLimitedTo255Characters() {
            assertAccepted(Commands.provision(1L, text(255)));
            assertRejectedEverywhere(Commands.provision(1L, text(256)), "label must be at most 255 characters");
        }

        @Test
        void labelMayBeAbsentButNotBlank() {
            assertAccepted(Commands.provision(1L, null));
            assertRejectedEverywhere(Commands.provision(1L, " "), "label must not be blank");
        }
    }

    @Nested
    @DisplayName("which error wins")
    class Precedence {

        @Test
        @DisplayName("a command without id, issued_at or change is INVALID_REQUEST, not an exception")
        void missingEnvelopeFieldsAreInvalid() {
            var valid = Commands.attach(PERSONA).build();
            String message = "command_id, issued_at and the change are required";
            states().forEach(state -> {
                assertInvalidRequest(Decider.decide(new Command(null, valid.orgId(), valid.issuedAt(), valid.actor(),
                        valid.phoneNumber(), valid.change()), state), message, state);
                assertInvalidRequest(Decider.decide(new Command(valid.commandId(), valid.orgId(), null, valid.actor(),
                        valid.phoneNumber(), valid.change()), state), message, state);
                assertInvalidRequest(Decider.decide(new Command(valid.commandId(), valid.orgId(), valid.issuedAt(),
                        valid.actor(), valid.phoneNumber(), null), state), message, state);
            });
        }

        @Test
        void onlyTheFirstErrorIsReported() {
            Decision decision = Decider.decide(Commands.attach("bad").phone("bad").org("").actor("").build(), null);

            assertThat(decision.outcome().errors()).hasSize(1);
        }

        @Test
        void phoneThenOrgThenActorThenChange() {
            assertRejectedEverywhere(Commands.attach("bad").phone("bad").org("").actor(""), PHONE_MESSAGE);
            assertRejectedEverywhere(Commands.attach("bad").org("").actor(""), ORG_MESSAGE);
            assertRejectedEverywhere(Commands.attach("bad").actor(""), "actor is required");
            assertRejectedEverywhere(Commands.attach("bad"), PERSONA_MESSAGE);
        }

        @Test
        void personaIdIsCheckedBeforeSettings() {
            assertRejectedEverywhere(Commands.updateSettings("bad", new Settings(null, -1L, null)), PERSONA_MESSAGE);
        }

        @Test
        void numberIdIsCheckedBeforeLabel() {
            assertRejectedEverywhere(Commands.provision(0L, text(256)), "number_id must be a positive integer");
        }

        @Test
        @DisplayName("an invalid command on another org's number is INVALID_REQUEST, revealing nothing about the number")
        void validationComesBeforeTheOwnershipCheck() {
            NumberState theirs = States.attached(OTHER_ORG, PERSONA, FULL_SETTINGS);
            Decision onTheirs = Decider.decide(Commands.attach("bad").build(), theirs);
            Decision onMissing = Decider.decide(Commands.attach("bad").build(), null);

            assertThat(onTheirs.outcome()).isEqualTo(onMissing.outcome());
            assertThat(onTheirs.next()).isSameAs(theirs);
        }
    }
}
