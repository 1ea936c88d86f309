package com.personasettings.client;

import com.personasettings.schemas.ApiError;
import com.personasettings.schemas.CommandOutcome;
import com.personasettings.schemas.ErrorCode;
import com.personasettings.schemas.InboundNumber;
import com.personasettings.schemas.PersonaSettings;

import java.util.UUID;

/**
 * What the processor decided about one command: the number's state after it, or why it was refused.
 * Exactly one of {@code number} and {@code refusal} is set.
 */
public record Outcome(UUID commandId, String phoneNumber, NumberState number, Refusal refusal) {

    /** Why a command was refused: an error code of the contract (see {@link ErrorCode}) and its message. */
    public record Refusal(String code, String message) {

        /** Whether this is that code; false for a code this version of the client does not know. */
        public boolean is(ErrorCode errorCode) {
            return errorCode.code().equals(code);
        }
    }

    public boolean succeeded() {
        return refusal == null;
    }

    /** From the contract's Avro record. */
    static Outcome of(CommandOutcome outcome) {
        UUID commandId = outcome.getCommandId();
        if (outcome.getErrors() != null && !outcome.getErrors().isEmpty()) {
            // The processor refuses a command with exactly one error; a second one would add nothing to the first.
            ApiError error = outcome.getErrors().get(0);
            return new Outcome(commandId, outcome.getPhoneNumber(), null, new Refusal(error.getError(), error.getMessage()));
        }
        if (outcome.getData() == null) {
            // Neither data nor errors is the success of a command about a persona (RetirePersona), which this client
            // does not send; for a number's command it is no outcome the contract allows, so not one to report as a
            // success.
            return new Outcome(commandId, outcome.getPhoneNumber(), null,
                    new Refusal(ErrorCode.INTERNAL_ERROR.code(), "the outcome holds neither data nor errors"));
        }
        return new Outcome(commandId, outcome.getPhoneNumber(), number(outcome.getData()), null);
    }

    private static NumberState number(InboundNumber number) {
        PersonaSettings settings = number.getPersonaSettings();
        return new NumberState(number.getId(), number.getPhoneNumber(), UUID.fromString(number.getOrgId()),
                number.getLabel(), number.getPersonaId() == null ? null : UUID.fromString(number.getPersonaId()),
                settings == null ? null
                        : new Settings(settings.getPathwayId(), settings.getPathwayVersion(), settings.getStartNodeId()),
                number.getUpdatedAt());
    }
}
