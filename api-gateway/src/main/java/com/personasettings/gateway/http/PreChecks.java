package com.personasettings.gateway.http;

import com.personasettings.domain.Change;
import com.personasettings.domain.Command;
import com.personasettings.domain.Decider;
import com.personasettings.domain.Decision;
import com.personasettings.domain.NumberState;
import com.personasettings.gateway.auth.Caller;
import com.personasettings.gateway.db.NumbersReadDao;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The processor's rules asked before a request's commands are sent: {@link Decider} itself, on the numbers as the
 * processor last recorded them, so the gateway never words a rule of its own. The processor decides again on
 * the state it holds when the command arrives; this only spares sending commands that would fail or change
 * nothing.
 */
final class PreChecks {

    private final Function<List<String>, List<NumbersReadDao.RecordedNumber>> recorded;

    /** @param recorded the provisioned numbers among those asked, as the processor recorded them */
    PreChecks(Function<List<String>, List<NumbersReadDao.RecordedNumber>> recorded) {
        this.recorded = recorded;
    }

    /** Each number's decision, in the order asked, for {@code change} sent by the caller now. */
    Map<String, Decision> decide(Caller caller, List<String> phones, Change change) {
        Map<String, NumberState> states = recorded.apply(phones).stream()
                .collect(Collectors.toMap(NumbersReadDao.RecordedNumber::phoneNumber, PreChecks::state));
        Instant now = Instant.now();
        Map<String, Decision> decisions = new LinkedHashMap<>();
        for (String phone : phones) {
            Command command = new Command(UUID.randomUUID(), caller.orgId().toString(), now, caller.actor(), phone,
                    change);
            decisions.put(phone, Decider.decide(command, states.get(phone)));
        }
        return decisions;
    }

    /**
     * The recorded number as the rules see it. Attach and detach decide on owner and persona; the settings, which
     * they do not read, are left out rather than parsed.
     */
    private static NumberState state(NumbersReadDao.RecordedNumber number) {
        return new NumberState(number.id(), number.phoneNumber(), number.orgId(), number.label(), number.personaId(),
                null, number.updatedAt());
    }
}
