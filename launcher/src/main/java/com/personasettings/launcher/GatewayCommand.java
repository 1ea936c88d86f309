package com.personasettings.launcher;

import com.personasettings.gateway.GatewayApp;
import com.personasettings.gateway.GatewayConfig;
import picocli.CommandLine.Command;

import java.util.List;
import java.util.concurrent.Callable;

/** The HTTP gateway alone, against the Kafka, registry and PostgreSQL named by environment variables. */
@Command(name = "gateway", mixinStandardHelpOptions = true,
        description = "Runs the HTTP API gateway against external Kafka, schema registry and PostgreSQL "
                + "(configured by environment variables, see README).")
final class GatewayCommand implements Callable<Integer> {

    @Override
    public Integer call() throws InterruptedException {
        GatewayConfig config = GatewayConfig.fromEnvironment();
        // Before anything is contacted; Javalin binds all interfaces.
        List<Port> taken = Port.taken(List.of(new Port(config.port(), "HTTP", null, "GATEWAY_PORT")));
        if (!taken.isEmpty()) {
            System.err.println(Port.describe(taken) + " already in use: stop what holds it or set GATEWAY_PORT.");
            return 1;
        }
        GatewayApp app = GatewayApp.start(config);
        Shutdown.awaitSignal(app);
        return 0;
    }
}
