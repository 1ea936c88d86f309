package com.personasettings.launcher;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./persona-settings}: one entry point for the dev stack and for each service run alone. */
@Command(name = "persona-settings", mixinStandardHelpOptions = true,
        description = "Per-number persona settings: HTTP gateway, Kafka Streams processor and their dev stack.",
        subcommands = {DevCommand.class, ProcessorCommand.class, GatewayCommand.class, AdminCommand.class,
                ReplayCommand.class, LoadCommand.class, BenchCommand.class, StoreBenchCommand.class,
                TortureCommand.class})
public final class Launcher implements Runnable {

    public static void main(String[] args) {
        System.exit(new CommandLine(new Launcher()).execute(args));
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
