package com.personasettings.launcher;

import com.personasettings.client.Outcome;
import com.personasettings.client.PersonaClient;
import com.personasettings.client.SentCommand;
import com.personasettings.gateway.GatewayConfig;
import com.personasettings.gateway.admin.Operator;
import com.personasettings.gateway.auth.ApiKeys;
import com.personasettings.gateway.db.GatewayDatabase;
import com.personasettings.platform.DataSources;
import com.personasettings.platform.Pool;
import com.zaxxer.hikari.HikariDataSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Operator tasks with no public endpoint. Uses the gateway's settings (DATABASE_URL, KAFKA_BOOTSTRAP_SERVERS, the
 * KAFKA_* security settings, SCHEMA_REGISTRY_URL; from the environment or PERSONA_SETTINGS_CONFIG's file): on a
 * secured broker it logs in as the operator's principal. The last line printed is the
 * result, for scripts.
 */
@Command(name = "admin", mixinStandardHelpOptions = true, description = "Operator tasks: orgs, API keys, numbers.",
        subcommands = {AdminCommand.CreateOrg.class, AdminCommand.CreateKey.class, AdminCommand.ListKeys.class,
                AdminCommand.RevokeKey.class, AdminCommand.Provision.class, AdminCommand.Release.class})
final class AdminCommand implements Runnable {

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    @Command(name = "create-org", description = "Creates an org; prints its id.")
    static final class CreateOrg implements Callable<Integer> {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            UUID id = withOperator(operator -> operator.createOrg(name));
            System.out.println(id);
            return 0;
        }
    }

    @Command(name = "create-key", description = "Creates an API key for an org; prints its id, then the key (last line; "
            + "it is not shown again).")
    static final class CreateKey implements Callable<Integer> {
        @Parameters(paramLabel = "ORG_ID")
        UUID orgId;
        @Option(names = "--label", description = "What the key is for.")
        String label;
        @Option(names = "--expires-in-days", description = "Days until the key stops working by itself (default: never).")
        Integer expiresInDays;

        @Override
        public Integer call() {
            Instant expiresAt = expiresInDays == null ? null : Instant.now().plus(Duration.ofDays(expiresInDays));
            ApiKeys.NewKey key = withOperator(operator -> operator.createKey(orgId, label, expiresAt));
            System.out.println("key id " + key.id() + (expiresAt == null ? "" : ", expires " + expiresAt));
            System.out.println(key.key());
            return 0;
        }
    }

    @Command(name = "list-keys", description = "Lists an org's API keys (never the keys themselves): id, state, "
            + "created, expires, label; one per line.")
    static final class ListKeys implements Callable<Integer> {
        @Parameters(paramLabel = "ORG_ID")
        UUID orgId;

        @Override
        public Integer call() {
            Instant now = Instant.now();
            withOperator(operator -> operator.keys(orgId)).forEach(key -> System.out.println(String.join("\t",
                    key.id().toString(),
                    key.revokedAt() != null ? "revoked " + key.revokedAt()
                            : key.expiresAt() != null && !key.expiresAt().isAfter(now) ? "expired" : "active",
                    "created " + key.createdAt(),
                    key.expiresAt() == null ? "no expiry" : "expires " + key.expiresAt(),
                    key.label() == null ? "" : key.label())));
            return 0;
        }
    }

    @Command(name = "revoke-key", description = "Revokes an API key by its id; gateways refuse it within "
            + "GATEWAY_KEY_CHECK_MS. Prints the id revoked.")
    static final class RevokeKey implements Callable<Integer> {
        @Parameters(paramLabel = "KEY_ID")
        UUID keyId;

        @Override
        public Integer call() {
            withOperator(operator -> {
                operator.revokeKey(keyId);
                return null;
            });
            System.out.println("revoked " + keyId);
            return 0;
        }
    }

    @Command(name = "provision", description = "Provisions numbers into an org (a command each); prints each number "
            + "and its command id once the processor has accepted it. A refused number is named on stderr (exit 1).")
    static final class Provision implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "ORG_ID")
        UUID orgId;
        @Parameters(index = "1..*", paramLabel = "+E164")
        List<String> numbers;
        @Option(names = "--label", description = "Label of the numbers.")
        String label;

        @Override
        public Integer call() {
            return withOperatorSending(numbers, (operator, number) -> operator.provision(orgId, number, label, null));
        }
    }

    @Command(name = "release", description = "Releases numbers from their org (a command each); prints each number and "
            + "its command id once the processor has accepted it. A refused number is named on stderr (exit 1).")
    static final class Release implements Callable<Integer> {
        @Parameters(paramLabel = "+E164", arity = "1..*")
        List<String> numbers;

        @Override
        public Integer call() {
            return withOperatorSending(numbers, Operator::release);
        }
    }

    /**
     * Sends a command per number, one after the other, each once the previous one's outcome is in: an accepted
     * command prints its number and command id, a refused one (or one with no outcome within the client's reply
     * timeout) a line on stderr.
     *
     * @return the exit status: 1 when any command was not accepted
     */
    private static int withOperatorSending(List<String> numbers, BiFunction<Operator, String, SentCommand> task) {
        GatewayConfig config = GatewayConfig.fromEnvironment();
        try (HikariDataSource dataSource = dataSource(config);
             PersonaClient client = Operator.client(config.bootstrapServers(), config.schemaRegistryUrl(),
                     config.kafkaClient())) {
            Operator operator = new Operator(new GatewayDatabase(dataSource), client);
            int status = 0;
            for (String number : numbers) {
                SentCommand sent = task.apply(operator, number);
                try {
                    Outcome outcome = sent.outcome().join();
                    if (outcome.succeeded()) {
                        System.out.println(sent.phoneNumber() + " " + sent.commandId());
                    } else {
                        System.err.println(sent.phoneNumber() + " refused (command " + sent.commandId() + "): "
                                + outcome.refusal().code() + " " + outcome.refusal().message());
                        status = 1;
                    }
                } catch (CompletionException e) {
                    System.err.println(sent.phoneNumber() + ": " + e.getCause().getMessage());
                    status = 1;
                }
            }
            return status;
        }
    }

    /** For tasks that only touch the database: no broker needed. */
    private static <T> T withOperator(Function<Operator, T> task) {
        GatewayConfig config = GatewayConfig.fromEnvironment();
        try (HikariDataSource dataSource = dataSource(config)) {
            return task.apply(new Operator(new GatewayDatabase(dataSource), null));
        }
    }

    private static HikariDataSource dataSource(GatewayConfig config) {
        // One task, one statement at a time: a connection, and a spare for Flyway's lock while it migrates.
        HikariDataSource dataSource = DataSources.pooled(config.database(), Pool.of("admin-db", 2));
        try {
            GatewayDatabase.migrate(dataSource);
            return dataSource;
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
    }
}
