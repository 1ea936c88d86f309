package com.personasettings.gateway.lifecycle;

import com.personasettings.gateway.db.NumbersReadDao;
import com.personasettings.gateway.db.PersonasDao;
import com.personasettings.gateway.kafka.CommandPublisher;
import com.personasettings.schemas.InboundCommand;
import io.opentelemetry.context.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Finishes deletions: a deleted persona whose retirement some partition has not processed (the caller did not
 * wait, or a command could not be confirmed) gets the missing {@link Retirements} sent again, until every partition
 * has one on record; the persona is then marked retired. A persona id that numbers are attached to but this API
 * never created (another service's attach over Kafka) is retired too. Every gateway instance sweeps; they need no coordination
 * because the retirements' ids are derived from persona and partition, so copies are applied once.
 */
public final class PersonaSweeper implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PersonaSweeper.class);
    /** Personas per sweep: a burst of deletions is worked off over a few sweeps, not in one flood of commands. */
    private static final int BATCH = 100;
    static final String ACTOR = "gateway:persona-sweeper";
    /** Persona ids no persona has are looked for on every this many sweeps. */
    private static final int UNKNOWN_EVERY = 6;

    private final PersonasDao personas;
    private final NumbersReadDao outcomes;
    private final CommandPublisher publisher;
    private final Duration grace;
    private final Duration sendTimeout;
    private final Clock clock;
    private final ScheduledExecutorService timer;
    private long sweeps;

    private PersonaSweeper(PersonasDao personas, NumbersReadDao outcomes, CommandPublisher publisher, Duration grace,
                           Duration sendTimeout, Clock clock) {
        this.personas = personas;
        this.outcomes = outcomes;
        this.publisher = publisher;
        this.grace = grace;
        this.sendTimeout = sendTimeout;
        this.clock = clock;
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "persona-sweeper");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * @param interval how often to look; also how old a deletion must be before its missing retirements are sent
     *                 again (the delete request's own are normally processed within its reply timeout)
     */
    public static PersonaSweeper start(PersonasDao personas, NumbersReadDao outcomes, CommandPublisher publisher,
                                       Duration interval, Duration sendTimeout) {
        PersonaSweeper sweeper = new PersonaSweeper(personas, outcomes, publisher, interval, sendTimeout,
                Clock.systemUTC());
        sweeper.timer.scheduleWithFixedDelay(sweeper::sweepQuietly, interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
        return sweeper;
    }

    private void sweepQuietly() {
        try {
            int sent = sweep();
            if (sent > 0) {
                log.info("Sent {} retirements of deleted personas again", sent);
            }
        } catch (RuntimeException e) {
            // PostgreSQL or the broker down: the next sweep tries again.
            log.warn("Persona sweep failed: {}", e.toString());
        }
    }

    /** @return how many retirements were handed to the producer */
    int sweep() {
        int sent = 0;
        Instant now = Instant.now(clock).truncatedTo(ChronoUnit.MILLIS);
        // Every UNKNOWN_EVERY-th sweep (about a minute by default) only: this query reads every attached number.
        if (sweeps++ % UNKNOWN_EVERY == 0) {
            for (PersonasDao.Deleted persona : personas.unknownWithNumbers(BATCH)) {
                // Never created here, so never to be: retired like a deleted one, its numbers detached.
                log.warn("Numbers of org {} are attached to persona {}, which this API never created (an attach "
                        + "sent over Kafka); retiring it", persona.orgId(), persona.id());
                sent += send(retirements(persona, now));
            }
        }
        for (PersonasDao.Deleted persona : personas.unretired(grace.toMillis() / 1000.0, BATCH)) {
            List<InboundCommand> all = retirements(persona, now);
            Set<UUID> processed = outcomes.outcomes(persona.orgId(), all.stream().map(InboundCommand::getCommandId)
                    .toList()).stream().map(NumbersReadDao.StoredOutcome::commandId).collect(Collectors.toSet());
            if (processed.size() == all.size()) {
                personas.retired(persona.orgId(), persona.id());
            }
            sent += send(all.stream().filter(c -> !processed.contains(c.getCommandId())).toList());
        }
        return sent;
    }

    private List<InboundCommand> retirements(PersonasDao.Deleted persona, Instant now) {
        return Retirements.of(persona.orgId(), persona.id(), ACTOR, now, publisher.commandPartitions());
    }

    private int send(List<InboundCommand> commands) {
        // Nobody waits for these replies: the sweeper reads the outcomes from PostgreSQL.
        commands.forEach(command -> publisher.publish(command, sendTimeout, Context.root(), false));
        return commands.size();
    }

    @Override
    public void close() throws InterruptedException {
        timer.shutdownNow();
        timer.awaitTermination(5, TimeUnit.SECONDS);
    }
}
