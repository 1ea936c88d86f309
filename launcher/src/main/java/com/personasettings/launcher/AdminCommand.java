package com.personasettings.launcher;

import com.personasettings.gateway.GatewayConfig;
import com.personasettings.gateway.admin.Operator;
import com.personasettings.gateway.db.GatewayDatabase;
import com.personasettings.gateway.kafka.CommandPublisher;
import com.personasettings.schemas.InboundCommand;
import com.personasettings.schemas.registry.SchemaRegistryClient;
import com.personasettings.platform.DataSources;
import com.personasettings.platform.Pool;
import com.zaxxer.hikari.HikariDataSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * Operator tasks with no public endpoint. Uses the gateway's settings (DATABASE_URL, KAFKA_BOOTSTRAP_SERVERS,
 * SCHEMA_REGISTRY_URL; from the environment or PERSONA_SETTINGS_CONFIG's file). The last line printed is the
 * result, for scripts.
 */
@Command(name = "admin", mixinStandardHelpOptions = true, description = "Operator tasks: orgs, API keys, numbers.",
        subcommands = {AdminCommand.CreateOrg.class, AdminCommand.CreateKey.class, AdminCommand.Provision.class,
                AdminCommand.Release.class})
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

    @Command(name = "create-key", description = "Creates an API key for an org; prints it (it is not shown again).")
    static final class CreateKey implements Callable<Integer> {
        @Parameters(paramLabel = "ORG_ID")
        UUID orgId;

        @Override
        public Integer call() {
            String key = withOperator(operator -> operator.createKey(orgId));
            System.out.println(key);
            return 0;
        }
    }

    @Command(name = "provision", description = "Provisions numbers into an org (a command each); prints the command ids.")
    static final class Provision implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "ORG_ID")
        UUID orgId;
        @Parameters(index = "1..*", paramLabel = "+E164")
        List<String> numbers;
        @Option(names = "--label", description = "Label of the numbers.")
        String label;

        @Override
        public Integer call() {
            withOperator(operator -> {
                numbers.forEach(number -> print(operator.provision(orgId, number, label, null).join()));
                return null;
            });
            return 0;
        }
    }

    @Command(name = "release", description = "Releases numbers from their org (a command each); prints the command ids.")
    static final class Release implements Callable<Integer> {
        @Parameters(paramLabel = "+E164", arity = "1..*")
        List<String> numbers;

        @Override
        public Integer call() {
            withOperator(operator -> {
                numbers.forEach(number -> print(operator.release(number).join()));
                return null;
            });
            return 0;
        }
    }

    private static void print(InboundCommand command) {
        System.out.println(command.getPhoneNumber() + " " + command.getCommandId());
    }

    private static <T> T withOperator(Function<Operator, T> task) {
        GatewayConfig config = GatewayConfig.fromEnvironment();
        // One task, one statement at a time: a connection, and a spare for Flyway's lock while it migrates.
        try (HikariDataSource dataSource = DataSources.pooled(config.database(), Pool.of("admin-db", 2));
             CommandPublisher publisher = new CommandPublisher(config.bootstrapServers(),
                     new SchemaRegistryClient(config.schemaRegistryUrl()), null)) {
            GatewayDatabase.migrate(dataSource);
            return task.apply(new Operator(new GatewayDatabase(dataSource), publisher, Clock.systemUTC()));
        }
    }
}
