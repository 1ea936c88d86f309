package com.personasettings.bench.peer;

import com.personasettings.gateway.GatewayConfig;
import com.personasettings.platform.Database;
import com.personasettings.platform.Settings;

import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the CRUD peer until SIGTERM (or Ctrl-C), configured as the gateway is: {@code GATEWAY_PORT}, the other
 * {@code GATEWAY_*} HTTP and authentication settings ({@code GATEWAY_KEY_RATE_LIMIT=0} and
 * {@code GATEWAY_ORG_RATE_LIMIT=0} for no limits), {@code DATABASE_URL} / {@code DATABASE_USER} /
 * {@code DATABASE_PASSWORD} for the gateway's database (API keys), and {@code PEER_DATABASE_URL}, required, for the
 * peer's own database on the same server (same user and password).
 */
public final class PeerApp {

    private PeerApp() {
    }

    public static void main(String[] args) throws InterruptedException {
        Peer peer;
        try {
            GatewayConfig config = GatewayConfig.from(System.getenv());
            peer = Peer.start(config, peerDatabase(config, System.getenv()));
        } catch (Settings.InvalidSetting e) {
            System.err.println(e.getMessage());
            System.exit(1);
            return;
        }
        // On stdout, not through SLF4J: the bench module brings no logging backend of its own (the class path that
        // runs this may have none), and a harness that starts this process reads the port from this line.
        System.out.println("CRUD peer listening on port " + peer.port());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            peer.close();
            stopped.countDown();
        }, "peer-shutdown"));
        stopped.await();
    }

    /** {@code PEER_DATABASE_URL}, as the user and password of the gateway's database. */
    static Database peerDatabase(GatewayConfig config, Map<String, String> environment) {
        String url = Settings.from(environment).text("PEER_DATABASE_URL", null);
        if (url == null) {
            throw new Settings.InvalidSetting("PEER_DATABASE_URL is not set: the JDBC URL of the peer's own database "
                    + "(not the gateway's, nor the processor's)");
        }
        return config.database().at(url);
    }
}
