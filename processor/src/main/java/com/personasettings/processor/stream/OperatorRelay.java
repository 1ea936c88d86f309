package com.personasettings.processor.stream;

import com.personasettings.schemas.Topics;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Copies each record of the operator topic onto the commands topic, as it is (key, value, reply-to, correlation id,
 * trace), signed: there it takes its place in the one log that is processed, audited and replayed, and the signature
 * says it came from the operator topic. The copy is part of the same exactly-once transaction as the read. A
 * signature header the operator's record already carried is dropped, never passed on.
 */
final class OperatorRelay implements Processor<byte[], byte[], byte[], byte[]> {

    private final OperatorSignature signature;
    private final CommitPacer pacer;
    private ProcessorContext<byte[], byte[]> context;

    OperatorRelay(OperatorSignature signature, CommitPacer pacer) {
        this.signature = signature;
        this.pacer = pacer;
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        Headers headers = new RecordHeaders(record.headers().toArray());
        headers.remove(Topics.OPERATOR_SIGNATURE_HEADER);
        if (signature.required() && record.value() != null) {
            headers.add(Topics.OPERATOR_SIGNATURE_HEADER, signature.sign(record.value()));
        }
        context.forward(record.withHeaders(headers));
        if (headers.lastHeader(Topics.REPLY_TO_HEADER) != null && pacer.due()) {
            // The operator waits for the outcome, which comes only once this copy is committed and processed.
            context.commit();
        }
    }
}
