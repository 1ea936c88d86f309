package com.personasettings.processor.stream;

import com.personasettings.domain.Command;
import com.personasettings.schemas.InboundCommand;
import com.personasettings.schemas.RetirePersona;
import com.personasettings.schemas.Topics;
import com.personasettings.schemas.registry.UnknownUnionBranchException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A command record's bytes read as a command, or why the record cannot be one (it then goes to the
 * dead-letter topic). Shared by the live processor and replay, so both reject exactly the same records.
 * The command crosses from Avro into the domain here, once; nothing after this reads the Avro record.
 *
 * @param commandType the command kind as recorded in the audit trail, e.g. {@code UpdatePersonaSettings}
 */
public record DecodedCommand(Command command, String commandType, DeadLetter rejection, String error) {

    /**
     * @param partition the partition the record was read from
     * @param operator what tells an operator's command (copied from the operator topic, signed) from anyone's: an
     *                 operator payload that is not the operator's is rejected ({@link DeadLetter#OPERATOR_ONLY})
     */
    public static DecodedCommand decode(Deserializer<InboundCommand> commands, OperatorSignature operator, int partition,
                                        byte[] key, byte[] value, Headers headers) {
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
        if (command.getPayload() instanceof RetirePersona retire && retire.getPartition() != partition) {
            // Recorded, its outcome would take the id (and the row) of the copy meant for that partition.
            return rejected(DeadLetter.WRONG_PARTITION, "RetirePersona for partition " + retire.getPartition()
                    + " read from partition " + partition);
        }
        if (Topics.isOperatorPayload(command.getPayload()) && !operator.isOperators(value, signature(headers))) {
            return rejected(DeadLetter.OPERATOR_ONLY, AvroMapping.commandType(command) + " is accepted only from "
                    + Topics.OPERATOR + ", which only the operator may write");
        }
        return new DecodedCommand(AvroMapping.toCommand(command), AvroMapping.commandType(command), null, null);
    }

    private static byte[] signature(Headers headers) {
        Header header = headers == null ? null : headers.lastHeader(Topics.OPERATOR_SIGNATURE_HEADER);
        return header == null ? null : header.value();
    }

    public boolean rejected() {
        return rejection != null;
    }

    private static DecodedCommand rejected(DeadLetter reason, String error) {
        return new DecodedCommand(null, null, reason, error);
    }
}
