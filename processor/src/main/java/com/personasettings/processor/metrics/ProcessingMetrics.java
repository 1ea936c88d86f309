package com.personasettings.processor.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the processor counts beside Kafka Streams' own metrics (bound separately): commands by outcome, dead letters
 * by reason, replies not sent, and its database batches. Names as Prometheus shows them:
 * <ul>
 *     <li>{@code persona_commands_total{command, outcome}}: each new command, {@code outcome} = {@code success} or
 *     the error code; {@code persona_commands_repeated_total}: ids seen before, answered with the first outcome</li>
 *     <li>{@code persona_dead_letters_total{reason}}</li>
 *     <li>{@code persona_replies_not_sent_total{reason}}: {@code disallowed} (reply-to not on the allowlist) or
 *     {@code missing_topic}</li>
 *     <li>{@code persona_database_batch_commands}: commands per database batch (one per Kafka transaction);
 *     {@code persona_database_commit_seconds}: writing and committing one; {@code
 *     persona_transactions_abandoned_total{reason}}: batches the database did not take, their records processed
 *     again</li>
 *     <li>{@code persona_state_restored_records_total{store}}: records read back from a store's changelog before its
 *     task ran (see {@code RestoreLog})</li>
 * </ul>
 */
public final class ProcessingMetrics {

    private final MeterRegistry registry;
    private final Map<String, Counter> commands = new ConcurrentHashMap<>();
    private final Counter repeated;
    private final DistributionSummary batchCommands;
    private final Timer commit;

    public ProcessingMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.repeated = Counter.builder("persona.commands.repeated")
                .description("Commands whose id was seen before, answered with the first outcome").register(registry);
        this.batchCommands = DistributionSummary.builder("persona.database.batch.commands")
                .description("Commands per database batch (one batch per Kafka transaction)")
                .publishPercentileHistogram().register(registry);
        this.commit = Timer.builder("persona.database.commit")
                .description("Writing and committing one database batch")
                .publishPercentileHistogram().register(registry);
        // Every series a dashboard plots exists from the start, at zero: a rate over it is 0, not "no data".
        List.of("disallowed", "missing_topic").forEach(reason -> registry.counter("persona.replies.not.sent", "reason", reason));
        List.of("unavailable", "refused", "seen_before")
                .forEach(reason -> registry.counter("persona.transactions.abandoned", "reason", reason));
    }

    /** Registers the dead-letter reasons there are, at zero. */
    public void expectDeadLetters(List<String> reasons) {
        reasons.forEach(reason -> registry.counter("persona.dead.letters", "reason", reason));
    }

    /** A new command was decided. */
    public void command(String commandType, String outcome) {
        commands.computeIfAbsent(commandType + '\0' + outcome, k -> Counter.builder("persona.commands")
                .description("New commands, by type and outcome (success or the error code)")
                .tag("command", commandType).tag("outcome", outcome).register(registry)).increment();
    }

    public void repeated() {
        repeated.increment();
    }

    public void deadLettered(String reason) {
        registry.counter("persona.dead.letters", "reason", reason).increment();
    }

    public void replyNotSent(String reason) {
        registry.counter("persona.replies.not.sent", "reason", reason).increment();
    }

    public void batchCommitted(int commands, Duration took) {
        batchCommands.record(commands);
        commit.record(took);
    }

    public void restored(String store, long records) {
        registry.counter("persona.state.restored.records", "store", store).increment(records);
    }

    public void transactionAbandoned(String reason) {
        registry.counter("persona.transactions.abandoned", "reason", reason).increment();
    }
}
