package com.personasettings.torture;

/**
 * What happened to the requests sent during one phase. Sends ({@code sent}, by answer) count every HTTP request,
 * retries and repeats included; the last three count requests (an {@link Intent} with all its sends) by the phase
 * of their first send.
 *
 * @param unavailableApplied 503 answers whose own command (stamped during that send) was processed all the same
 * @param appliedUnanswered  requests that got no 2xx or 4xx answer (only 5xx, timeouts, broken connections) whose
 *                           commands were processed all the same: legitimate, but a caller without an
 *                           Idempotency-Key cannot tell
 */
record PhaseCounts(String phase, long sent, long ok, long accepted, long clientErrors, long unavailable,
                   long unavailableApplied, long otherServerErrors, long timeouts, long connectionErrors,
                   long appliedUnanswered, long lost, long duplicated) {

    static PhaseCounts empty(String phase) {
        return new PhaseCounts(phase, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    PhaseCounts plus(Attempt attempt) {
        int s = attempt.status();
        return new PhaseCounts(phase, sent + 1, ok + (s == 200 ? 1 : 0), accepted + (s == 202 ? 1 : 0),
                clientErrors + (s >= 400 && s < 500 ? 1 : 0), unavailable + (s == 503 ? 1 : 0), unavailableApplied,
                otherServerErrors + (s >= 500 && s != 503 ? 1 : 0),
                timeouts + (Attempt.TIMEOUT.equals(attempt.failure()) ? 1 : 0),
                connectionErrors + (attempt.failure() != null && attempt.failure().startsWith(Attempt.CONNECTION) ? 1 : 0),
                appliedUnanswered, lost, duplicated);
    }

    PhaseCounts plusRequest(boolean appliedUnanswered, boolean lost, boolean duplicated) {
        return new PhaseCounts(phase, sent, ok, accepted, clientErrors, unavailable, unavailableApplied,
                otherServerErrors, timeouts, connectionErrors, this.appliedUnanswered + (appliedUnanswered ? 1 : 0), this.lost + (lost ? 1 : 0),
                this.duplicated + (duplicated ? 1 : 0));
    }

    PhaseCounts plusUnavailableApplied() {
        return new PhaseCounts(phase, sent, ok, accepted, clientErrors, unavailable, unavailableApplied + 1,
                otherServerErrors, timeouts, connectionErrors, appliedUnanswered, lost, duplicated);
    }

    PhaseCounts plus(PhaseCounts other) {
        return new PhaseCounts(phase, sent + other.sent, ok + other.ok, accepted + other.accepted,
                clientErrors + other.clientErrors, unavailable + other.unavailable,
                unavailableApplied + other.unavailableApplied, otherServerErrors + other.otherServerErrors, timeouts + other.timeouts,
                connectionErrors + other.connectionErrors, appliedUnanswered + other.appliedUnanswered,
                lost + other.lost, duplicated + other.duplicated);
    }
}
