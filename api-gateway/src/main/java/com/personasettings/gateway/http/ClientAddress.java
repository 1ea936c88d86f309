package com.personasettings.gateway.http;

import io.javalin.http.Context;
import org.eclipse.jetty.server.Request;

/**
 * The address a request comes from, for the per-address limits: the connection's, or — behind a proxy the operator
 * trusts — the last entry of the header that proxy writes ({@code X-Forwarded-For}, say). The last entry, because a
 * proxy appends the address it saw to whatever the client sent: the earlier entries are the client's to invent.
 */
final class ClientAddress {

    private final String header;

    /** @param header the trusted proxy's header, or null to use the connection's address */
    ClientAddress(String header) {
        this.header = header == null || header.isBlank() ? null : header.trim();
    }

    String of(Context ctx) {
        String forwarded = header == null ? null : lastEntry(ctx.header(header));
        return forwarded != null ? forwarded : ctx.req().getRemoteAddr();
    }

    /** The same, for a request Jetty has not handed to the servlet yet. */
    String of(Request request) {
        String forwarded = header == null ? null : lastEntry(request.getHeaders().get(header));
        return forwarded != null ? forwarded : Request.getRemoteAddr(request);
    }

    /** The last entry of a forwarded-for list, or null when there is none; what {@link #of} takes from the header. */
    static String lastEntry(String forwarded) {
        if (forwarded == null) {
            return null;
        }
        String last = forwarded.substring(forwarded.lastIndexOf(',') + 1).trim();
        return last.isEmpty() ? null : last;
    }
}
