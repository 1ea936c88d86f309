package com.personasettings.gateway.lifecycle;

import com.personasettings.gateway.db.NumbersReadDao;
import com.personasettings.gateway.db.PersonasDao;
import com.personasettings.gateway.kafka.CommandPublisher;
import com.personasettings.schemas.InboundCommand;
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
 * has one on record; the persona is then marked retired. Every gateway instance sweeps; they need no coordination
 * because the retirements' ids are derived from persona and partition, so copies are applied once.
 */
public final class PersonaSweeper implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PersonaSweeper.class);
    /** Personas per sweep: a burst of deletions is worked off over a few sweeps, not in one flood of commands. */
    private static final int BATCH = 100;
    static final String ACTOR = "gateway:persona-sweeper";

    private final PersonasDao personas;
    private final NumbersReadDao outcomes;
    private final CommandPublisher publisher;
    private final Duration grace;
    private final Duration sendTimeout;
    private final Clock clock;
    private final ScheduledExecutorService timer;

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
        List<PersonasDao.Deleted> deleted = personas.unretired(grace.toMillis() / 1000.0, BATCH);
        if (deleted.isEmpty()) {
            return 0;
        }
        int partitions = publisher.commandPartitions();
        Instant now = Instant.now(clock).truncatedTo(ChronoUnit.MILLIS);
        int sent = 0;
        for (PersonasDao.Deleted persona : deleted) {
            List<InboundCommand> all = Retirements.of(persona.orgId(), persona.id(), ACTOR, now, partitions);
            Set<UUID> processed = outcomes.outcomes(persona.orgId(), all.stream().map(InboundCommand::getCommandId)
                    .toList()).stream().map(NumbersReadDao.StoredOutcome::commandId).collect(Collectors.toSet());
            List<InboundCommand> missing = all.stream().filter(c -> !processed.contains(c.getCommandId())).toList();
            if (missing.isEmpty()) {
                personas.retired(persona.orgId(), persona.id());
            }
            missing.forEach(command -> publisher.publish(command, sendTimeout));
            sent += missing.size();
        }
        return sent;
    }

    @Override
    public void close() throws InterruptedException {
        timer.shutdownNow();
        timer.awaitTermination(5, TimeUnit.SECONDS);
    }
}
