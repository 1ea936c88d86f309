package com.personasettings.torture;

/**
 * One HTTP request actually sent for an {@link Intent}, and what came of it.
 *
 * @param number      1 for the first send, then 2, 3 for retries and repeats
 * @param reason      {@code first}, {@code retry} (after a 5xx, a timeout or a broken connection) or {@code repeat}
 * @param sentAt      epoch milliseconds when it was sent
 * @param endedAt     epoch milliseconds when the answer or the failure arrived
 * @param status      the HTTP status, or 0 when no answer came
 * @param failure     why no answer came ({@link #TIMEOUT}, {@link #CONNECTION}), null when one did
 * @param body        the answer's body, null without an answer
 * @param location    the answer's {@code Location} header, if any
 */
record Attempt(long intentId, int number, String reason, int gateway, long sentAt, long endedAt, int status,
               String failure, String body, String location) {

    static final String TIMEOUT = "timeout";
    static final String CONNECTION = "connection";

    boolean answered() {
        return failure == null;
    }

    /** 200 or 202: the caller was told the request was done or accepted. */
    boolean acknowledged() {
        return status == 200 || status == 202;
    }
}
