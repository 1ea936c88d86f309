package com.personasettings.client;

import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * A command handed to {@link PersonaClient#send}.
 *
 * @param commandId the id it was sent with: keep it to send the same command again (the processor then answers with
 *                  the first outcome) or to look it up ({@code GET /v1/commands/{command_id}})
 * @param written   completes when the broker has the command (acks=all); fails when it could not be written
 * @param outcome   completes with the processor's outcome; fails with {@link java.util.concurrent.TimeoutException}
 *                  when none arrived within the client's reply timeout, with the send's error when it was not
 *                  written, and with {@link IllegalStateException} when the client was closed first. A command whose
 *                  outcome future is already complete (timed out, cancelled) when the sender thread reaches it is
 *                  not sent at all, and {@code written} fails.
 */
public record SentCommand(UUID commandId, String phoneNumber, CompletableFuture<Void> written,
                          CompletableFuture<Outcome> outcome) {
}
