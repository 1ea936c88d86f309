package com.personasettings.processor.stream;

import com.personasettings.schemas.Topics;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.errors.DefaultProductionExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A reply that cannot be sent is dropped; everything else fails as Kafka Streams' default handler decides.
 *
 * <p>A reply topic belongs to a caller and may vanish (deleted while a request was in flight, its gateway gone);
 * {@link ReplyTopics} checks before sending, but a topic deleted after the check still reaches the producer,
 * which then fails the send. With the default handler that failure would close the task and process the same
 * records again, and again: one caller's missing topic would stop the partition. The outcome itself is already
 * on the outcomes topic and in PostgreSQL; only the courtesy copy is lost, and Kafka Streams counts it
 * ({@code dropped-records}).
 */
public final class ReplyProductionHandler extends DefaultProductionExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ReplyProductionHandler.class);

    @Override
    public ProductionExceptionHandler.Response handleError(ErrorHandlerContext context,
                                                           ProducerRecord<byte[], byte[]> record, Exception exception) {
        if (record.headers().lastHeader(Topics.REPLY_TO_HEADER) != null) {
            log.warn("Dropping the reply to {} for the command at {}-{}@{}: {}", record.topic(), context.topic(),
                    context.partition(), context.offset(), exception.toString());
            return ProductionExceptionHandler.Response.resume();
        }
        return super.handleError(context, record, exception);
    }
}
