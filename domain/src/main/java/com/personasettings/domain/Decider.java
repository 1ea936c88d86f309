package com.personasettings.domain;

/**
 * The rules. Given a command and the number's state before it, decides the outcome and the state after.
 * Pure: no clock (timestamps come from {@link Command#issuedAt()}), no I/O, no randomness — so replaying
 * the command log reproduces every outcome.
 */
public final class Decider {

    private Decider() {
    }

    /**
     * @param current the number's state, or null if it was never provisioned or was released
     */
    public static Decision decide(Command command, NumberState current) {
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
            return attach(command, attach, mine, current);
        } else if (change instanceof Change.Detach detach) {
            return detach(command, detach, mine, current);
        } else if (change instanceof Change.Provision provision) {
            return provision(command, provision, current);
        } else if (change instanceof Change.Release) {
            return release(mine, current);
        }
        throw new IllegalArgumentException("unknown change " + change);
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
