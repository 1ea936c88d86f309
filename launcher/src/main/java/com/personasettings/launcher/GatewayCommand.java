package com.personasettings.launcher;

import com.personasettings.gateway.GatewayApp;
import com.personasettings.gateway.GatewayConfig;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** The HTTP gateway alone, against the Kafka, registry and PostgreSQL named by environment variables. */
@Command(name = "gateway", mixinStandardHelpOptions = true,
        description = "Runs the HTTP API gateway against external Kafka, schema registry and PostgreSQL "
                + "(configured by environment variables, see README).")
final class GatewayCommand implements Callable<Integer> {

    @Override
    public Integer call() throws InterruptedException {
        GatewayApp app = GatewayApp.start(GatewayConfig.fromEnvironment());
        Shutdown.awaitSignal(app);
        return 0;
    }
}
