package com.personasettings.processor.stream;

import com.personasettings.domain.ApiError;
import com.personasettings.domain.Change;
import com.personasettings.domain.Command;
import com.personasettings.domain.NumberState;
import com.personasettings.domain.Outcome;
import com.personasettings.domain.Settings;
import com.personasettings.schemas.AttachToPersona;
import com.personasettings.schemas.CommandOutcome;
import com.personasettings.schemas.DetachFromPersona;
import com.personasettings.schemas.InboundCommand;
import com.personasettings.schemas.InboundNumber;
import com.personasettings.schemas.PersonaSettings;
import com.personasettings.schemas.ProvisionNumber;
import com.personasettings.schemas.ReleaseNumber;
import com.personasettings.schemas.RetirePersona;
import com.personasettings.schemas.UpdatePersonaSettings;

import java.util.UUID;


/** Translates between the Avro contract and the domain's plain records. */
public final class AvroMapping {

    private AvroMapping() {
    }

    public static Command toCommand(InboundCommand command) {
        return new Command(command.getCommandId(), command.getOrgId(), command.getIssuedAt(), command.getActor(),
                command.getPhoneNumber(), toChange(command.getPayload()));
    }

    private static Change toChange(Object payload) {
        if (payload instanceof UpdatePersonaSettings update) {
            return new Change.UpdateSettings(update.getPersonaId(), toSettings(update.getPersonaSettings()));
        } else if (payload instanceof AttachToPersona attach) {
            return new Change.Attach(attach.getPersonaId());
        } else if (payload instanceof DetachFromPersona detach) {
            return new Change.Detach(detach.getPersonaId());
        } else if (payload instanceof ProvisionNumber provision) {
            return new Change.Provision(provision.getNumberId(), provision.getLabel());
        } else if (payload instanceof ReleaseNumber) {
            return new Change.Release();
        } else if (payload instanceof RetirePersona retire) {
            return new Change.Retire(retire.getPersonaId(), retire.getPartition());
        }
        throw new IllegalArgumentException("unknown command payload " + payload);
    }

    /** The command kind as recorded in the audit trail, e.g. {@code UpdatePersonaSettings}. */
    public static String commandType(InboundCommand command) {
        return command.getPayload().getClass().getSimpleName();
    }

    public static NumberState toState(InboundNumber number) {
        if (number == null) {
            return null;
        }
        return new NumberState(number.getId(), number.getPhoneNumber(), number.getOrgId(), number.getLabel(),
                number.getPersonaId(), toSettings(number.getPersonaSettings()), number.getUpdatedAt());
    }

    public static InboundNumber toAvro(NumberState state) {
        if (state == null) {
            return null;
        }
        return InboundNumber.newBuilder()
                .setId(state.id())
                .setPhoneNumber(state.phoneNumber())
                .setOrgId(state.orgId())
                .setLabel(state.label())
                .setPersonaId(state.personaId())
                .setPersonaSettings(toAvro(state.settings()))
                .setUpdatedAt(state.updatedAt())
                .build();
    }

    public static CommandOutcome toAvro(Command command, Outcome outcome) {
        return toAvro(command.commandId(), command.orgId(), command.phoneNumber(), outcome);
    }

    public static CommandOutcome toAvro(UUID commandId, String orgId, String phoneNumber, Outcome outcome) {
        return CommandOutcome.newBuilder()
                .setCommandId(commandId)
                .setOrgId(orgId)
                .setPhoneNumber(phoneNumber)
                .setData(toAvro(outcome.data()))
                .setErrors(outcome.errors() == null ? null : outcome.errors().stream().map(AvroMapping::toAvro).toList())
                .build();
    }

    private static com.personasettings.schemas.ApiError toAvro(ApiError error) {
        return new com.personasettings.schemas.ApiError(error.code(), error.message());
    }

    static Settings toSettings(PersonaSettings settings) {
        return settings == null ? null
                : new Settings(settings.getPathwayId(), settings.getPathwayVersion(), settings.getStartNodeId());
    }

    static PersonaSettings toAvro(Settings settings) {
        return settings == null ? null
                : new PersonaSettings(settings.pathwayId(), settings.pathwayVersion(), settings.startNodeId());
    }

}
