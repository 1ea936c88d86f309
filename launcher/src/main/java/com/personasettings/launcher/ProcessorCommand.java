package com.personasettings.launcher;

import com.personasettings.processor.ProcessorApp;
import com.personasettings.processor.ProcessorConfig;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** The processor alone, against the Kafka, registry and PostgreSQL named by environment variables. */
@Command(name = "processor", mixinStandardHelpOptions = true,
        description = "Runs the Kafka Streams processor against external Kafka, schema registry and PostgreSQL "
                + "(configured by environment variables, see README).")
final class ProcessorCommand implements Callable<Integer> {

    @Override
    public Integer call() throws InterruptedException {
        ProcessorApp app = ProcessorApp.start(ProcessorConfig.fromEnvironment());
        Shutdown.awaitSignal(app);
        return 0;
    }
}
