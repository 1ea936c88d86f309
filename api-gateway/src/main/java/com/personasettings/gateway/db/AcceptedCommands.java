package com.personasettings.gateway.db;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Records the commands answered with 202, many requests to a transaction (group commit). One insert and
 * one commit per request capped the async path at PostgreSQL's fsync rate (about a thousand a second
 * here); one writer thread takes whatever requests queued up while the previous transaction was
 * committing, so a batch grows with the load and a lone request still waits for one commit only.
 */
public final class AcceptedCommands implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AcceptedCommands.class);
    /** Requests per transaction at most: bounds one statement's size, far above what a second brings. */
    private static final int MAX_BATCH = 5_000;

    /** One request and its commands, and the future its answer waits on. */
    private record Pending(RequestRow request, CompletableFuture<Void> written) {
    }

    private final AcceptedCommandsDao dao;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile boolean closed;

    public AcceptedCommands(AcceptedCommandsDao dao) {
        this.dao = dao;
        this.writer = new Thread(this::writeLoop, "accepted-commands-writer");
        writer.setDaemon(true);
        writer.start();
    }

    /** Completes when the request and its command ids are committed, or fails with what went wrong. */
    public CompletableFuture<Void> record(RequestRow request) {
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("the gateway is shutting down"));
        }
        Pending pending = new Pending(request, new CompletableFuture<>());
        queue.add(pending);
        return pending.written();
    }

    private void writeLoop() {
        List<Pending> batch = new ArrayList<>();
        while (!closed || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                write(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                batch.clear();
            }
        }
    }

    private void write(List<Pending> batch) {
        try {
            dao.insertAll(batch.stream().map(Pending::request).toList());
            batch.forEach(p -> p.written().complete(null));
        } catch (RuntimeException e) {
            log.warn("Could not record the accepted commands of {} requests", batch.size(), e);
            batch.forEach(p -> p.written().completeExceptionally(e));
        }
    }

    /** Writes what is queued, then stops. */
    @Override
    public void close() throws InterruptedException {
        closed = true;
        writer.join(TimeUnit.SECONDS.toMillis(10));
        // Queued after the writer's last look: fail them rather than leave their requests hanging.
        Pending late;
        while ((late = queue.poll()) != null) {
            late.written().completeExceptionally(new IllegalStateException("the gateway is shutting down"));
        }
    }
}
