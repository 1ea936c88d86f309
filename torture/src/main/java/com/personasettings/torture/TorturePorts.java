package com.personasettings.torture;

import com.personasettings.devstack.KafkaCluster;
import com.personasettings.devstack.Postgres;
import com.personasettings.devstack.SchemaRegistryServer;

import java.util.ArrayList;
import java.util.List;

/**
 * The ports of a torture stack, all from one base: Kafka's three nodes take {@code base} to {@code base + 5}
 * (client and controller port each), PostgreSQL {@code base + 10}, the registry {@code base + 11}, the gateways
 * {@code base + 20} and {@code base + 21}. Fixed, because a node or a service restarted during the run must come
 * back where its peers and its data expect it.
 */
public record TorturePorts(int base) {

    static final int NODES = 3;
    static final int GATEWAYS = 2;

    /** A port the stack listens on; {@code host} is the address it binds, null for all interfaces. */
    public record Listener(int port, String name, String host) {
    }

    int kafkaBase() {
        return base;
    }

    int postgres() {
        return base + 10;
    }

    int registry() {
        return base + 11;
    }

    int gateway(int index) {
        return base + 20 + index;
    }

    public List<Listener> all() {
        List<Listener> all = new ArrayList<>();
        for (int node = 1; node <= NODES; node++) {
            all.add(new Listener(base + 2 * (node - 1), "Kafka node " + node, KafkaCluster.HOST));
            all.add(new Listener(base + 2 * (node - 1) + 1, "Kafka controller " + node, KafkaCluster.HOST));
        }
        all.add(new Listener(postgres(), "PostgreSQL", Postgres.HOST));
        all.add(new Listener(registry(), "schema registry", SchemaRegistryServer.HOST));
        for (int i = 0; i < GATEWAYS; i++) {
            all.add(new Listener(gateway(i), "gateway " + (i + 1), null));
        }
        return all;
    }
}
