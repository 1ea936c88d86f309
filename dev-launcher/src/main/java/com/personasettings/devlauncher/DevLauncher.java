package com.personasettings.devlauncher;

import com.personasettings.launcher.Launcher;
import picocli.CommandLine;

/**
 * {@code ./persona-settings}: the production commands ({@link Launcher}) and the development ones, which run on
 * embedded infrastructure and never ship: {@code dev}, {@code bench}, {@code bench-store}, {@code load},
 * {@code torture}.
 */
public final class DevLauncher {

    private DevLauncher() {
    }

    public static void main(String[] args) {
        CommandLine commandLine = Launcher.commandLine()
                .addSubcommand(new DevCommand())
                .addSubcommand(new LoadCommand())
                .addSubcommand(new BenchCommand())
                .addSubcommand(new StoreBenchCommand())
                .addSubcommand(new TortureCommand());
        System.exit(Launcher.run(commandLine, args));
    }
}
