package com.personasettings.gateway.http;

import com.personasettings.gateway.auth.Caller;
import com.personasettings.gateway.db.AcceptedCommands;
import com.personasettings.gateway.db.RequestRow;
import com.personasettings.gateway.kafka.CommandPublisher;
import com.personasettings.gateway.kafka.ReplyRouter;
import com.personasettings.schemas.CommandOutcome;
import com.personasettings.schemas.ErrorCode;
import com.personasettings.schemas.InboundCommand;
import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Publishes a request's commands and answers it: with the outcomes when they arrive within the reply
 * timeout, otherwise (or at once, with {@code Prefer: respond-async}) with 202 and a status URL. The
 * request holds no thread while it waits: Javalin completes it from the reply's future.
 *
 * <p>The reply timeout bounds the whole request, publishing included: commands the broker has not
 * acknowledged by then are answered 503, saying which of the request's commands were queued. Once every
 * command is queued the answer is never an error of ours: whatever fails afterwards (recording the 202,
 * building the answer) ends in 202 with the status URL, because the commands will be processed.
 */
final class Submission {

    private static final Logger log = LoggerFactory.getLogger(Submission.class);
    /** How long a 202 waits beyond the reply timeout for its commands to be on record as accepted. */
    private static final Duration RECORD_GRACE = Duration.ofSeconds(1);

    private final CommandPublisher publisher;
    private final ReplyRouter replies;
    private final AcceptedCommands accepted;
    private final Duration replyTimeout;
    private final Duration sendTimeout;
    private final GatewayMetrics metrics;
    /** Where answers are written: not on Kafka's client threads, nor on the accepted-commands writer. */
    private final Executor blocking;

    /** @param sendTimeout how long the broker may take to acknowledge each command (see GatewayConfig) */
    Submission(CommandPublisher publisher, ReplyRouter replies, AcceptedCommands accepted, Duration replyTimeout,
               Duration sendTimeout, Executor blocking, GatewayMetrics metrics) {
        this.publisher = publisher;
        this.replies = replies;
        this.accepted = accepted;
        this.replyTimeout = replyTimeout;
        this.sendTimeout = sendTimeout;
        this.blocking = blocking;
        this.metrics = metrics;
    }

    /** A request that becomes commands: its id (the status URL's), what it asks and the persona it names. */
    record Request(UUID id, RequestKind kind, UUID personaId) {
    }

    /** @param answer the answer from the outcomes, in the order of {@code commands} */
    void submit(Context ctx, Caller caller, Request request, List<InboundCommand> commands,
                Function<List<CommandOutcome>, Answers.Answer> answer) {
        long start = System.nanoTime();
        boolean async = ctx.header("Prefer") != null && ctx.header("Prefer").contains("respond-async");
        List<String> ids = commands.stream().map(c -> c.getCommandId().toString()).toList();
        // Registered before publishing, so that no reply can arrive before its future exists.
        List<CompletableFuture<CommandOutcome>> outcomes = async ? List.of() : ids.stream().map(replies::expect).toList();
        // Nobody waits when the caller asked for async or too many requests wait already (the answer is then 202).
        boolean replyWanted = !async && outcomes.stream().noneMatch(CompletableFuture::isCompletedExceptionally);
        io.opentelemetry.context.Context trace = RequestTracing.contextOf(ctx);
        List<CompletableFuture<?>> sends = commands.stream().<CompletableFuture<?>>map(c -> publish(c, trace, replyWanted))
                .toList();

        ctx.future(() -> failuresOf(sends)
                .thenCompose(failures -> failures.stream().allMatch(f -> f == null)
                        ? queued(ctx, caller, request, ids, outcomes, answer, start, async)
                        // Off the thread that completed the send: a timeout completes it on the JDK's one delayer.
                        : CompletableFuture.supplyAsync(() -> notQueued(ctx, caller, request, commands, failures), blocking)
                                .thenCompose(answered -> answered))
                .whenComplete((answered, error) -> outcomes.forEach(future -> future.cancel(false))));
    }

    private CompletableFuture<?> publish(InboundCommand command, io.opentelemetry.context.Context trace,
                                         boolean replyWanted) {
        try {
            return publisher.publish(command, sendTimeout, trace, replyWanted);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Every command is in Kafka: the outcomes if they arrive in time, else 202. */
    private CompletableFuture<Void> queued(Context ctx, Caller caller, Request request, List<String> ids,
                                           List<CompletableFuture<CommandOutcome>> outcomes,
                                           Function<List<CommandOutcome>, Answers.Answer> answer, long start,
                                           boolean async) {
        if (async) {
            return accepted(ctx, caller, request, ids, start);
        }
        return CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new))
                .orTimeout(remainingNanos(start), TimeUnit.NANOSECONDS)
                .thenApplyAsync(all -> {
                    answer.apply(outcomes.stream().map(CompletableFuture::join).toList()).writeTo(ctx);
                    return true;
                }, blocking)
                .exceptionally(error -> {
                    Throwable cause = unwrap(error);
                    if (cause instanceof TimeoutException) {
                        metrics.replyTimeout();
                    } else if (!(cause instanceof RejectedExecutionException)) {
                        // The outcomes are recorded and the status URL gives them; a 503 would be false.
                        RequestTracing.log(ctx, () ->
                                log.error("Could not build the answer of commands {}; answering 202", ids, cause));
                    }
                    return false;
                })
                .thenCompose(answered -> answered ? CompletableFuture.completedFuture(null)
                        : accepted(ctx, caller, request, ids, start));
    }

    /**
     * 202 with where to look, once the commands are also on record as accepted (so the status URL reports them
     * pending). If that record cannot be written in time the answer is still 202: the commands are in Kafka and
     * the status URL finds each once it is processed.
     */
    private CompletableFuture<Void> accepted(Context ctx, Caller caller, Request request, List<String> ids, long start) {
        return pending(ctx, caller, request, ids.stream().map(UUID::fromString).toList(),
                Math.max(remainingNanos(start), 0) + RECORD_GRACE.toNanos());
    }

    /** Records the request with these commands (waiting at most {@code waitNanos}), then answers it 202. */
    private CompletableFuture<Void> pending(Context ctx, Caller caller, Request request, List<UUID> commandIds,
                                            long waitNanos) {
        return record(caller, request, commandIds, waitNanos)
                .thenRunAsync(() -> Answers.pending(request.id(), commandIds).writeTo(ctx), blocking);
    }

    /** Records the request and its queued commands; completes (never fails) when written, failed or out of time. */
    private CompletableFuture<Void> record(Caller caller, Request request, List<UUID> ids, long waitNanos) {
        CompletableFuture<Void> written;
        try {
            written = accepted.record(new RequestRow(request.id(), caller.orgId(), request.kind().stored(),
                    request.personaId(), ids));
        } catch (RuntimeException e) {
            written = CompletableFuture.failedFuture(e);
        }
        return written.orTimeout(waitNanos, TimeUnit.NANOSECONDS)
                .handle((done, error) -> {
                    if (error != null) {
                        log.warn("Commands {} are queued but could not be recorded as accepted; their status is "
                                + "found once processed", ids, unwrap(error));
                    }
                    return null;
                });
    }

    /**
     * Some or all commands were not acknowledged in time. Says which were queued (they will be processed) and
     * which could not be confirmed (a broker that did not acknowledge may still have written them).
     */
    private CompletableFuture<Void> notQueued(Context ctx, Caller caller, Request request,
                                              List<InboundCommand> commands, List<Throwable> failures) {
        List<Map<String, Object>> queued = new ArrayList<>();
        List<Map<String, Object>> notConfirmed = new ArrayList<>();
        Throwable firstFailure = null;
        for (int i = 0; i < commands.size(); i++) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("phone_number", commands.get(i).getPhoneNumber());
            entry.put("command_id", commands.get(i).getCommandId().toString());
            (failures.get(i) == null ? queued : notConfirmed).add(entry);
            firstFailure = firstFailure != null ? firstFailure : failures.get(i);
        }
        metrics.publishFailure();
        String failure = unwrap(firstFailure).toString();
        RequestTracing.log(ctx, () -> log.warn("Commands not confirmed by the broker: {} (queued: {}): {}", notConfirmed,
                queued, failure));
        List<UUID> queuedIds = queued.stream().map(e -> UUID.fromString((String) e.get("command_id"))).toList();
        if (request.kind() == RequestKind.DELETE) {
            // The persona is deleted already and the sweeper sends the retirements not confirmed here (with the same
            // ids): the request completes by itself, and a retry would find no persona. Pending, not an error, and
            // with every retirement, so that its status URL answers once all partitions have one.
            return pending(ctx, caller, request, commands.stream().map(InboundCommand::getCommandId).toList(),
                    RECORD_GRACE.toNanos());
        }
        CompletableFuture<Void> recorded = queuedIds.isEmpty() ? CompletableFuture.completedFuture(null)
                : record(caller, request, queuedIds, RECORD_GRACE.toNanos());
        boolean withKey = ctx.header("Idempotency-Key") != null;
        return recorded.thenRunAsync(() -> {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("queued", queued);
            details.put("not_confirmed", notConfirmed);
            ctx.status(503).json(Envelope.error(ErrorCode.SERVICE_UNAVAILABLE.code(), unavailableMessage(queued.size(),
                    commands.size(), withKey), details));
        }, blocking);
    }

    static String unavailableMessage(int queued, int total, boolean withKey) {
        String retry = withKey
                ? "Retry with the same Idempotency-Key to complete it: a command already applied is answered with its first outcome, not applied again."
                : "Send an Idempotency-Key when you retry, so that a command already applied is not applied again.";
        if (queued == 0) {
            return "The broker did not confirm the request in time; it may or may not be processed. " + retry;
        }
        return queued + " of " + total + " commands were queued and will be processed (details.queued); the others "
                + "could not be confirmed (details.not_confirmed). " + retry;
    }

    /** Per send, null when acknowledged, else its failure; completes when every send has. */
    private static CompletableFuture<List<Throwable>> failuresOf(List<CompletableFuture<?>> sends) {
        Throwable[] failures = new Throwable[sends.size()];
        CompletableFuture<?>[] settled = new CompletableFuture<?>[sends.size()];
        for (int i = 0; i < sends.size(); i++) {
            int index = i;
            settled[i] = sends.get(i).handle((sent, error) -> failures[index] = error);
        }
        return CompletableFuture.allOf(settled).thenApply(all -> Arrays.asList(failures));
    }

    private long remainingNanos(long start) {
        return replyTimeout.toNanos() - (System.nanoTime() - start);
    }

    private static Throwable unwrap(Throwable error) {
        while (error instanceof CompletionException && error.getCause() != null) {
            error = error.getCause();
        }
        return error;
    }
}
