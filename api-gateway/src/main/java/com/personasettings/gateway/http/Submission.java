package com.personasettings.gateway.http;

import com.personasettings.gateway.auth.Caller;
import com.personasettings.gateway.db.AcceptedCommands;
import com.personasettings.gateway.kafka.CommandPublisher;
import com.personasettings.gateway.kafka.ReplyRouter;
import com.personasettings.schemas.CommandOutcome;
import com.personasettings.schemas.InboundCommand;
import io.javalin.http.Context;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Publishes a request's commands and answers it: with the outcomes when they arrive within the reply
 * timeout, otherwise (or at once, with {@code Prefer: respond-async}) with 202 and a status URL. The
 * request holds no thread while it waits: Javalin completes it from the reply's future.
 */
final class Submission {

    private final CommandPublisher publisher;
    private final ReplyRouter replies;
    private final AcceptedCommands accepted;
    private final Duration replyTimeout;
    /** Where answers are written: not on Kafka's client threads, nor on the accepted-commands writer. */
    private final Executor blocking;

    Submission(CommandPublisher publisher, ReplyRouter replies, AcceptedCommands accepted, Duration replyTimeout,
               Executor blocking) {
        this.publisher = publisher;
        this.replies = replies;
        this.accepted = accepted;
        this.replyTimeout = replyTimeout;
        this.blocking = blocking;
    }

    /** @param respond writes the answer from the outcomes, in the order of {@code commands} */
    void submit(Context ctx, Caller caller, List<InboundCommand> commands, Consumer<List<CommandOutcome>> respond) {
        boolean async = ctx.header("Prefer") != null && ctx.header("Prefer").contains("respond-async");
        List<String> ids = commands.stream().map(c -> c.getCommandId().toString()).toList();
        // One future per request and command, registered before publishing; cancelled when no longer awaited.
        List<CompletableFuture<CommandOutcome>> outcomes = async ? List.of() : ids.stream().map(replies::expect).toList();
        CompletableFuture<?>[] sends = commands.stream().map(this::publish).toArray(CompletableFuture[]::new);

        ctx.future(() -> CompletableFuture.allOf(sends)
                .thenCompose(sent -> async ? accepted(ctx, caller, ids)
                        : CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new))
                                .orTimeout(replyTimeout.toMillis(), TimeUnit.MILLISECONDS)
                                .thenRunAsync(() -> respond.accept(outcomes.stream().map(CompletableFuture::join).toList()), blocking)
                                .exceptionallyCompose(error -> {
                                    outcomes.forEach(future -> future.cancel(false));
                                    if (unwrap(error) instanceof TimeoutException
                                            || unwrap(error) instanceof RejectedExecutionException) {
                                        return accepted(ctx, caller, ids);
                                    }
                                    return CompletableFuture.failedFuture(error);
                                }))
                .exceptionally(error -> {
                    outcomes.forEach(future -> future.cancel(false));
                    if (unwrap(error) instanceof ApiException api) {
                        throw api;
                    }
                    // The broker did not take the command: nothing was accepted, the caller may retry.
                    ctx.status(503).json(Envelope.error("SERVICE_UNAVAILABLE",
                            "The request could not be queued; retry it (with the same Idempotency-Key)"));
                    return null;
                }));
    }

    /** A publish that throws fails its future instead: the reply futures are then cancelled like any other's. */
    private CompletableFuture<?> publish(InboundCommand command) {
        try {
            return publisher.publish(command);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** 202 with where to look, once the commands are both in Kafka and on record as accepted. */
    private CompletableFuture<Void> accepted(Context ctx, Caller caller, List<String> ids) {
        return accepted.record(ids.stream().map(UUID::fromString).toList(), caller.orgId()).thenRunAsync(() -> {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("status", "pending");
            data.put("command_ids", ids);
            ctx.status(202).header("Location", "/v1/commands/" + ids.get(0)).json(Envelope.data(data));
        }, blocking);
    }

    private static Throwable unwrap(Throwable error) {
        while ((error instanceof CompletionException || error instanceof ExecutionException) && error.getCause() != null) {
            error = error.getCause();
        }
        return error;
    }
}
