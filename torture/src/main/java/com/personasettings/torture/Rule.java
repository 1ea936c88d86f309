package com.personasettings.torture;

/** The rules the ledger checks, each with what it means in one line. */
enum Rule {
    LOST("every request answered 200 or 202 has an outcome row for each command it produced (and every command a 503"
            + " says was queued)"),
    DUPLICATED("no request has more than one outcome row per command it produced"),
    BODY("every synchronous answer equals the stored outcome (a PATCH's 200 or processor-decided 4xx: the envelope;"
            + " an attach's 200: all its commands succeeded)"),
    IDS("every 202 names the ids of the commands the request produced, and its Location the request"),
    INVENTED("every outcome row and every command on the log belongs to a request the generator sent or a setup command"),
    FIRST_RECORD("each outcome row was written for the first record of its command id on the log: repeats changed nothing"),
    OUTCOME_LOG("the committed outcome log holds one outcome per command record, a repeat's equal to the first"),
    STATE("each number holds the state of its last successful command, written by the last command that changed it"),
    DEAD_LETTERS("nothing was dead-lettered, every command record decoded"),
    SERVER_ERRORS("no 500, no 5xx but 503, every 503 is Bland's envelope, and one that names no command published"
            + " none"),
    REPLAY("replay --verify: the command log replayed into a fresh database gives identical rows");

    final String meaning;

    Rule(String meaning) {
        this.meaning = meaning;
    }
}
