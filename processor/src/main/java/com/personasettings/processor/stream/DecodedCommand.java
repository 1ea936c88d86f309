package com.personasettings.processor.stream;

import com.personasettings.schemas.InboundCommand;
import com.personasettings.schemas.Topics;
import com.personasettings.schemas.rules.FieldRules;
import com.personasettings.schemas.registry.UnknownUnionBranchException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A command record's bytes read as a command, or why the record cannot be one (it then goes to the
 * dead-letter topic). Shared by the live processor and replay, so both reject exactly the same records.
 */
public record DecodedCommand(InboundCommand command, DeadLetter rejection, String error) {

    public static DecodedCommand decode(Deserializer<InboundCommand> commands, byte[] key, byte[] value,
                                        Headers headers) {
        if (key == null) {
            return rejected(DeadLetter.MISSING_KEY, "commands must be keyed by their E.164 phone number");
        }
        if (value == null) {
            return rejected(DeadLetter.NULL_VALUE, "a command record must have a value");
        }
        InboundCommand command;
        try {
            // A registry that cannot be reached throws SchemaRegistryException instead, which is not caught
            // here: the record is retried, never dead-lettered for someone else's outage.
            command = commands.deserialize(Topics.COMMANDS, headers, value);
        } catch (UnknownUnionBranchException e) {
            return rejected(DeadLetter.UNKNOWN_BRANCH, e.getMessage());
        } catch (SerializationException e) {
            return rejected(DeadLetter.UNDESERIALIZABLE, String.valueOf(e.getMessage()));
        }
        String phoneNumber = new String(key, StandardCharsets.UTF_8);
        if (!phoneNumber.equals(command.getPhoneNumber())) {
            return rejected(DeadLetter.KEY_MISMATCH,
                    "key " + phoneNumber + " differs from the command's phone_number " + command.getPhoneNumber());
        }
        return new DecodedCommand(command, null, null);
    }

    /**
     * Whether a command whose id was already seen, for {@code phoneNumber} in {@code orgId}, reuses the id for
     * something else. It is a retry only when number and org match: answering with the first outcome would
     * otherwise hand it to whoever sent this one, perhaps another org.
     *
     * <p>Orgs are compared as PostgreSQL records them, so the dedup store, the database and a replay agree: the
     * same UUID, or both not a UUID (recorded as null; {@code orgId} may be that null). Two commands whose org_ids
     * are not UUIDs are both refused for it, with no data, so the first answer tells the second nothing of any org.
     */
    public static boolean reusesId(InboundCommand command, String phoneNumber, String orgId) {
        return !phoneNumber.equals(command.getPhoneNumber())
                || !Objects.equals(recorded(orgId), recorded(command.getOrgId()));
    }

    private static String recorded(String orgId) {
        return FieldRules.isLowerCaseUuid(orgId) ? orgId : null;
    }

    public static String reusedIdError(InboundCommand command) {
        return "command_id " + command.getCommandId() + " already names a command for another number or org";
    }

    public boolean rejected() {
        return rejection != null;
    }

    private static DecodedCommand rejected(DeadLetter reason, String error) {
        return new DecodedCommand(null, reason, error);
    }
}
