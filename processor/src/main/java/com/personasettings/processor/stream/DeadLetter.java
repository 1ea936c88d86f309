package com.personasettings.processor.stream;

/** Why a command record went to the dead-letter topic (the {@code dlq-reason} header). */
public enum DeadLetter {
    /** No record key: commands are keyed by the phone number they change. */
    MISSING_KEY,
    /** The value is not a command in the registry's wire format (bad bytes, unknown schema id, corrupt Avro). */
    UNDESERIALIZABLE,
    /** A null value: the commands topic is a log, not a table, so tombstones mean nothing here. */
    NULL_VALUE,
    /** The key is not the phone number the command changes, so it would be processed out of order. */
    KEY_MISMATCH,
    /**
     * A persona's retirement read from another partition than the one it names: each partition must process its own
     * copy, in its own order, and the copy's id belongs to that partition.
     */
    WRONG_PARTITION,
    /** The command id was already used by a command for another number or org. */
    REUSED_COMMAND_ID,
    /**
     * The command uses a union branch (a payload type) this processor does not know, typically one of a newer
     * contract version. It is never read as another branch; upgrade the processor and replay it if it matters.
     */
    UNKNOWN_BRANCH,
    /**
     * An operator command ({@code ProvisionNumber}, {@code ReleaseNumber}) without a valid operator signature: it was
     * written to the public commands topic instead of {@code persona.inbound.operator}, which only the operator may
     * write. Nothing is changed and nothing is answered.
     */
    OPERATOR_ONLY,
    /** PostgreSQL refused the command's rows (a value a column cannot hold, a constraint); the error says which. */
    DATABASE_REFUSED
}
