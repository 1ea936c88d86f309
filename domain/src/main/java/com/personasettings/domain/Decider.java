package com.personasettings.domain;

import com.personasettings.schemas.ErrorCode;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The rules. Given a command and the number's state before it, decides the outcome and the state after.
 * Pure: no clock (timestamps come from {@link Command#issuedAt()}), no I/O, no randomness — so replaying
 * the command log reproduces every outcome.
 */
public final class Decider {

    private Decider() {
    }

    /** As {@link #decide(Command, NumberState, RetiredPersonas)} where no persona was deleted. */
    public static Decision decide(Command command, NumberState current) {
        return decide(command, current, RetiredPersonas.NONE);
    }

    /**
     * @param current the number's state, or null if it was never provisioned or was released
     * @param retired the personas deleted before this command, in its partition
     * @throws IllegalArgumentException for a {@link Change.Retire}, which is about a persona: see {@link #retire}
     */
    public static Decision decide(Command command, NumberState current, RetiredPersonas retired) {
        var invalid = Validation.check(command);
        if (invalid.isPresent()) {
            return Decision.unchanged(Outcome.failure(invalid.get()), current);
        }
        // Another org's number is indistinguishable from a missing one.
        NumberState mine = current != null && current.belongsTo(command.orgId()) ? current : null;
        Change change = command.change();
        if (change instanceof Change.UpdateSettings update) {
            return updateSettings(command, update, mine, current);
        } else if (change instanceof Change.Attach attach) {
            if (retired.isRetired(command.orgId(), attach.personaId())) {
                // Deleted: the persona is gone, as it is for the gateway. This is what keeps an attach that
                // raced the deletion from leaving a number on a persona that no longer exists.
                return Decision.unchanged(Outcome.failure(ApiError.of(ErrorCode.PERSONA_NOT_FOUND)), current);
            }
            return attach(command, attach, mine, current);
        } else if (change instanceof Change.Detach detach) {
            return detach(command, detach, mine, current);
        } else if (change instanceof Change.Provision provision) {
            return provision(command, provision, current);
        } else if (change instanceof Change.Release) {
            return release(mine, current);
        } else if (change instanceof Change.Retire) {
            throw new IllegalArgumentException("a retirement is about a persona: Decider.retire decides it");
        }
        throw new IllegalArgumentException("unknown change " + change);
    }

    /** A persona's deletion in one partition: its outcome, and the numbers it detached (their states after). */
    public record Retirement(Outcome outcome, List<NumberState> detached) {
    }

    /**
     * Retires a persona in the partition this copy of the command was read from: every number of the org attached
     * to it there is detached (its settings cleared, as a detach does), and the caller remembers the persona as
     * retired so that {@link #decide} refuses later attaches to it. (A repeated copy never gets here: it is answered
     * with its first outcome.)
     *
     * @param partition the partition the command was read from; a copy meant for another one is refused
     * @param numbers   the partition's numbers (any org, any persona: those that stay are left alone)
     */
    public static Retirement retire(Command command, int partition, Collection<NumberState> numbers) {
        var invalid = Validation.check(command);
        if (invalid.isEmpty() && !(command.change() instanceof Change.Retire)) {
            throw new IllegalArgumentException("not a retirement: " + command.change());
        }
        if (invalid.isEmpty() && ((Change.Retire) command.change()).partition() != partition) {
            invalid = Optional.of(ApiError.invalidRequest("partition is " + ((Change.Retire) command.change())
                    .partition() + " but the command was sent to partition " + partition));
        }
        if (invalid.isPresent()) {
            return new Retirement(Outcome.failure(invalid.get()), List.of());
        }
        String personaId = ((Change.Retire) command.change()).personaId();
        List<NumberState> detached = numbers.stream()
                .filter(n -> n.belongsTo(command.orgId()) && n.isAttachedTo(personaId))
                .map(n -> n.attachedTo(null, null, command.issuedAt()))
                .sorted(Comparator.comparing(NumberState::phoneNumber))
                .toList();
        return new Retirement(Outcome.done(), detached);
    }

    private static Decision updateSettings(Command command, Change.UpdateSettings update, NumberState mine,
                                           NumberState current) {
        if (mine == null || !mine.isAttachedTo(update.personaId())) {
            return Decision.unchanged(Outcome.failure(ApiError.INBOUND_NOT_FOUND), current);
        }
        // The object replaces what was there; null falls back to the persona's defaults.
        NumberState next = mine.withSettings(update.settings(), command.issuedAt());
        return next.equals(mine) ? Decision.unchanged(Outcome.success(mine), current)
                : Decision.changedTo(next, Outcome.success(next));
    }

    private static Decision attach(Command command, Change.Attach attach, NumberState mine, NumberState current) {
        if (mine == null) {
            return Decision.unchanged(Outcome.failure(ApiError.INVALID_INBOUND_NUMBERS), current);
        }
        if (mine.isAttachedTo(attach.personaId())) {
            return Decision.unchanged(Outcome.success(mine), current);
        }
        // A number carries one persona: attaching it elsewhere moves it. Its settings were overrides of the
        // old persona's defaults, so they do not carry over.
        NumberState next = mine.attachedTo(attach.personaId(), null, command.issuedAt());
        return Decision.changedTo(next, Outcome.success(next));
    }

    private static Decision detach(Command command, Change.Detach detach, NumberState mine, NumberState current) {
        if (mine == null) {
            return Decision.unchanged(Outcome.failure(ApiError.INBOUND_NOT_FOUND), current);
        }
        if (!mine.isAttachedTo(detach.personaId())) {
            // Only numbers attached to this persona are affected.
            return Decision.unchanged(Outcome.success(mine), current);
        }
        // Detached numbers have their persona settings cleared.
        NumberState next = mine.attachedTo(null, null, command.issuedAt());
        return Decision.changedTo(next, Outcome.success(next));
    }

    private static Decision provision(Command command, Change.Provision provision, NumberState current) {
        if (current != null) {
            return Decision.unchanged(Outcome.failure(ApiError.NUMBER_ALREADY_PROVISIONED), current);
        }
        NumberState next = new NumberState(provision.numberId(), command.phoneNumber(), command.orgId(),
                provision.label(), null, null, command.issuedAt());
        return Decision.changedTo(next, Outcome.success(next));
    }

    private static Decision release(NumberState mine, NumberState current) {
        if (mine == null) {
            return Decision.unchanged(Outcome.failure(ApiError.NOT_PROVISIONED), current);
        }
        // The outcome shows the number as it was when it left the org; it has no state afterwards.
        return Decision.changedTo(null, Outcome.success(mine));
    }
}
