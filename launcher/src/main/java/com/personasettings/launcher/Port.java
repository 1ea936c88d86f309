package com.personasettings.launcher;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;

/**
 * A port a command is about to listen on, checked before anything starts, so that a port someone else
 * holds is reported by number, name and the option that moves it, not as a stack trace from deep inside
 * a server (or after half the stack has started).
 *
 * @param host   the address the server will bind, resolved as it resolves it; null for all interfaces
 * @param option the option or variable that changes the port
 */
public record Port(int number, String name, String host, String option) {

    /** The ports of the list that another process holds. */
    public static List<Port> taken(List<Port> ports) {
        return ports.stream().filter(port -> !port.isFree()).toList();
    }

    /** "Port 15432 (PostgreSQL) is" or "Ports 19092 (Kafka) and 8080 (HTTP) are". */
    public static String describe(List<Port> ports) {
        List<String> named = ports.stream().map(p -> p.number() + " (" + p.name() + ")").toList();
        return ports.size() == 1 ? "Port " + named.get(0) + " is" : "Ports " + and(named) + " are";
    }

    /** "--kafka-port and --port": each option that moves one of the ports, once. */
    public static String options(List<Port> ports) {
        return and(ports.stream().map(Port::option).distinct().toList());
    }

    /**
     * Whether a server could listen here now. The socket is bound the way servers bind theirs, with
     * SO_REUSEADDR, so a port left with connections in TIME_WAIT by a stack just stopped counts as free.
     */
    boolean isFree() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(host == null ? new InetSocketAddress(number) : new InetSocketAddress(InetAddress.getByName(host), number));
            return true;
        } catch (IOException inUse) {
            return false;
        }
    }

    private static String and(List<String> items) {
        if (items.size() == 1) {
            return items.get(0);
        }
        return String.join(", ", items.subList(0, items.size() - 1)) + " and " + items.get(items.size() - 1);
    }
}
