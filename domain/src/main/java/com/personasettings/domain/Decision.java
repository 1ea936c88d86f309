package com.personasettings.domain;

/**
 * What deciding a command produced.
 *
 * @param next    the number's state after the command; null when it has none (never provisioned, released)
 * @param changed whether {@code next} differs from the state before: only then is it stored and published
 */
public record Decision(Outcome outcome, NumberState next, boolean changed) {

    static Decision unchanged(Outcome outcome, NumberState current) {
        return new Decision(outcome, current, false);
    }

    static Decision changedTo(NumberState next, Outcome outcome) {
        return new Decision(outcome, next, true);
    }
}
