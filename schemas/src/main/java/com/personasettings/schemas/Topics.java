package com.personasettings.schemas;

/**
 * The topic names and headers of the Kafka contract. Other services depend on these names.
 * Every topic is keyed by the E.164 phone number (UTF-8 string), so all changes to one number are
 * processed in order by one task.
 */
public final class Topics {

    /** Commands ({@link InboundCommand}); retained as the audit log that replay rebuilds state from. */
    public static final String COMMANDS = "persona.inbound.commands";
    /**
     * Operator commands ({@link InboundCommand}, keyed like the commands): {@code ProvisionNumber} and
     * {@code ReleaseNumber} are accepted only from here. Only the operator may write it (a broker ACL); the processor
     * copies each record onto {@link #COMMANDS} signed ({@link #OPERATOR_SIGNATURE_HEADER}), and processes it there.
     */
    public static final String OPERATOR = "persona.inbound.operator";
    /** Default topic for replies ({@link CommandOutcome}), read by the gateways. */
    public static final String REPLIES = "persona.inbound.replies";
    /** Every outcome ({@link CommandOutcome}), duplicates included: the audit trail of results. */
    public static final String OUTCOMES = "persona.inbound.outcomes";
    /** Compacted: the current {@link InboundNumber} of each number; a tombstone when a number is released. */
    public static final String NUMBERS = "persona.inbound.numbers";
    /** Commands that could not be processed, as they arrived, with the reason in {@link #DLQ_REASON_HEADER}. */
    public static final String COMMANDS_DLQ = "persona.inbound.commands.dlq";

    /** Command header: topic the outcome is also sent to; honoured only when on the processor's allowlist. */
    public static final String REPLY_TO_HEADER = "reply-to";
    /** Command header: opaque bytes echoed on the reply. */
    public static final String CORRELATION_ID_HEADER = "correlation-id";

    /**
     * Command header set by the processor on what it copies from {@link #OPERATOR}: an HMAC-SHA256 of the record's
     * value under a key only the processor holds. A command on the public topic cannot carry a valid one.
     */
    public static final String OPERATOR_SIGNATURE_HEADER = "operator-signature";

    /** DLQ headers: a reason code, a human message and where the record came from. */
    public static final String DLQ_REASON_HEADER = "dlq-reason";
    public static final String DLQ_ERROR_HEADER = "dlq-error";
    public static final String DLQ_TOPIC_HEADER = "dlq-source-topic";
    public static final String DLQ_PARTITION_HEADER = "dlq-source-partition";
    public static final String DLQ_OFFSET_HEADER = "dlq-source-offset";

    private Topics() {
    }

    /** The payloads that count only from {@link #OPERATOR}: provisioning and releasing a number. */
    public static boolean isOperatorPayload(Object payload) {
        return payload instanceof ProvisionNumber || payload instanceof ReleaseNumber;
    }

    /** TopicNameStrategy: the registry subject of a topic's values. */
    public static String valueSubject(String topic) {
        return topic + "-value";
    }
}
