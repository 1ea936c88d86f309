package com.personasettings.torture;

/**
 * A stretch of the run: the baseline, or one fault from its injection until the next fault. Requests count in the
 * phase during which they were sent.
 *
 * @param start     epoch milliseconds
 * @param end       epoch milliseconds, exclusive
 * @param what      what was done, e.g. "SIGKILL to node 2 (...)", down for how long, back after how long
 * @param downUntil epoch milliseconds when the broken part served again ({@code start} for the baseline): the
 *                  part was down from {@code start} until then
 */
record Phase(String name, long start, long end, String what, long downUntil) {

    boolean contains(long time) {
        return time >= start && time < end;
    }

    /** Whether [from, to] overlaps the time the part was down, stretched by {@code slackMillis} after it. */
    boolean overlapsOutage(long from, long to, long slackMillis) {
        return from <= downUntil + slackMillis && to >= start;
    }
}
