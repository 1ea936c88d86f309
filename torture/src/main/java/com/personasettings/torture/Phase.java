package com.personasettings.torture;

/**
 * A stretch of the run: the baseline, or one fault from its injection until the next fault. Requests count in the
 * phase during which they were sent.
 *
 * @param start epoch milliseconds
 * @param end   epoch milliseconds, exclusive
 * @param what  what was done, e.g. "SIGKILL to node 2 (...)", down for how long, back after how long
 */
record Phase(String name, long start, long end, String what) {

    boolean contains(long time) {
        return time >= start && time < end;
    }
}
