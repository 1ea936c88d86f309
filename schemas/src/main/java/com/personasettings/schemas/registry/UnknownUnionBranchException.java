package com.personasettings.schemas.registry;

import java.util.Set;
import org.apache.kafka.common.errors.SerializationException;

/**
 * A record that uses a union branch the reader schema does not have, typically a newer contract version's
 * new payload type. It is never read as another branch that happens to fit (see {@link StrictUnions}); a
 * consumer treats it like any record it cannot read, with this more precise reason.
 */
public final class UnknownUnionBranchException extends SerializationException {

    private final Set<String> branches;

    UnknownUnionBranchException(String message, Set<String> branches, Throwable cause) {
        super(message, cause);
        this.branches = Set.copyOf(branches);
    }

    /** Full names of the writer schema's branches the reader does not know (one of them is this record's). */
    public Set<String> branches() {
        return branches;
    }
}
