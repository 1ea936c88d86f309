package com.personasettings.gateway.lifecycle;

import com.personasettings.gateway.db.PersonasDao;
import com.personasettings.gateway.kafka.CommandPublisher;
import com.personasettings.schemas.DetachFromPersona;
import com.personasettings.schemas.InboundCommand;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Detaches numbers still attached to deleted personas, so that a deletion completes whatever happened to the
 * request: the caller did not wait, its detaches could not be published, or an attach raced the delete and
 * landed after it looked. Every gateway instance sweeps; they need no coordination because a detach's command
 * id is derived from the attachment it ends (persona, number, the offset that attached it), so two instances
 * sending it, or one sending it twice before it is processed, apply it once.
 */
public final class PersonaSweeper implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PersonaSweeper.class);
    /** Numbers per sweep: a burst of deletions is worked off over a few sweeps, not in one flood of commands. */
    private static final int BATCH = 500;
    static final String ACTOR = "gateway:persona-sweeper";

    private final PersonasDao personas;
    private final CommandPublisher publisher;
    private final Duration sendTimeout;
    private final Clock clock;
    private final ScheduledExecutorService timer;

    private PersonaSweeper(PersonasDao personas, CommandPublisher publisher, Duration sendTimeout, Clock clock) {
        this.personas = personas;
        this.publisher = publisher;
        this.sendTimeout = sendTimeout;
        this.clock = clock;
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "persona-sweeper");
            thread.setDaemon(true);
            return thread;
        });
    }

    public static PersonaSweeper start(PersonasDao personas, CommandPublisher publisher, Duration interval,
                                       Duration sendTimeout) {
        PersonaSweeper sweeper = new PersonaSweeper(personas, publisher, sendTimeout, Clock.systemUTC());
        sweeper.timer.scheduleWithFixedDelay(sweeper::sweepQuietly, interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
        return sweeper;
    }

    private void sweepQuietly() {
        try {
            int sent = sweep();
            if (sent > 0) {
                log.info("Sent {} detaches for numbers still attached to deleted personas", sent);
            }
        } catch (RuntimeException e) {
            // PostgreSQL or the broker down: the next sweep tries again.
            log.warn("Persona sweep failed: {}", e.toString());
        }
    }

    /** @return how many detaches were handed to the producer */
    int sweep() {
        List<PersonasDao.Stranded> stranded = personas.stranded(BATCH);
        for (PersonasDao.Stranded number : stranded) {
            publisher.publish(detach(number), sendTimeout);
        }
        return stranded.size();
    }

    private InboundCommand detach(PersonasDao.Stranded number) {
        UUID commandId = UUID.nameUUIDFromBytes(String.join("\n", ACTOR, number.orgId(), number.personaId(),
                number.phoneNumber(), Long.toString(number.sourceOffset())).getBytes(StandardCharsets.UTF_8));
        return InboundCommand.newBuilder()
                .setCommandId(commandId)
                .setOrgId(number.orgId())
                .setIssuedAt(Instant.now(clock).truncatedTo(ChronoUnit.MILLIS))
                .setActor(ACTOR)
                .setPhoneNumber(number.phoneNumber())
                .setPayload(new DetachFromPersona(number.personaId()))
                .build();
    }

    @Override
    public void close() throws InterruptedException {
        timer.shutdownNow();
        timer.awaitTermination(5, TimeUnit.SECONDS);
    }
}
