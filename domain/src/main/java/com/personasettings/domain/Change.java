package com.personasettings.domain;

/** What a command asks to change: about one number, or (Retire) about one persona in one partition. */
public sealed interface Change {

    /** Replace the number's settings; {@code settings == null} clears them. Must be attached to {@code personaId}. */
    record UpdateSettings(String personaId, Settings settings) implements Change {
    }

    /** Attach the number to a persona of its org. */
    record Attach(String personaId) implements Change {
    }

    /** Detach the number from a persona, if it is attached to that one. */
    record Detach(String personaId) implements Change {
    }

    /** Operator path: the number enters an org with the given numeric id. */
    record Provision(long numberId, String label) implements Change {
    }

    /** Operator path: the number leaves its org. */
    record Release() implements Change {
    }

    /**
     * A persona was deleted. Sent once to every partition of the commands topic ({@code partition} names the one
     * this copy is for), with no phone number: in that partition, numbers attached to the persona are detached, and
     * any later attach to it is refused. Each partition's log says for itself what came before the deletion.
     */
    record Retire(String personaId, int partition) implements Change {
    }
}
