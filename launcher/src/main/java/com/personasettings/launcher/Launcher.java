package com.personasettings.launcher;

import com.personasettings.platform.Settings;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The production entry point: each service run alone, operator tasks and replay. The development commands
 * (dev, bench, load, torture) live in the {@code dev-launcher} module, which adds them to this command line.
 */
@Command(name = "persona-settings", mixinStandardHelpOptions = true,
        description = "Per-number persona settings: the HTTP gateway, the Kafka Streams processor, operator tasks and replay.",
        subcommands = {ProcessorCommand.class, GatewayCommand.class, AdminCommand.class, ReplayCommand.class})
public final class Launcher implements Runnable {

    public static void main(String[] args) {
        System.exit(run(commandLine(), args));
    }

    /** Runs the command line, once the log format is one logback knows (checked before anything logs). */
    public static int run(CommandLine commandLine, String[] args) {
        String format = System.getenv("LOG_FORMAT");
        if (format != null && !format.equals("text") && !format.equals("json")) {
            commandLine.getErr().println("LOG_FORMAT=" + format + " is not valid: expected text or json");
            return 1;
        }
        return commandLine.execute(args);
    }

    /** The production commands, for another entry point to add its own to. */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new Launcher());
        // A setting with a bad value, or an admin task asked for an org or key that is not there, is the operator's
        // to fix: one line saying so (with the command's failure status), not a stack trace.
        commandLine.setExecutionExceptionHandler((error, failed, parsed) -> {
            if (error instanceof Settings.InvalidSetting || error instanceof IllegalArgumentException) {
                failed.getErr().println(error.getMessage());
                return failed.getCommandSpec().exitCodeOnExecutionException();
            }
            throw error;
        });
        return commandLine;
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
