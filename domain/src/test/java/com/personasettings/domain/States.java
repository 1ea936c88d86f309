package com.personasettings.domain;

import static com.personasettings.domain.Commands.LABEL;
import static com.personasettings.domain.Commands.NUMBER_ID;
import static com.personasettings.domain.Commands.ORG;
import static com.personasettings.domain.Commands.PHONE;
import static com.personasettings.domain.Commands.T0;

/** Test fixtures: number states as they would be before a command (all last changed at {@link Commands#T0}). */
final class States {

    private States() {
    }

    /** Provisioned into {@code org}, attached to nothing. */
    static NumberState provisioned(String org) {
        return new NumberState(NUMBER_ID, PHONE, org, LABEL, null, null, T0);
    }

    static NumberState provisioned() {
        return provisioned(ORG);
    }

    static NumberState attached(String org, String persona, Settings settings) {
        return new NumberState(NUMBER_ID, PHONE, org, LABEL, persona, settings, T0);
    }

    static NumberState attached(String persona, Settings settings) {
        return attached(ORG, persona, settings);
    }

    static NumberState attached(String persona) {
        return attached(ORG, persona, null);
    }
}
