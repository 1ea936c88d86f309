package com.personasettings.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * One change to one phone number, as accepted from the gateway or another service.
 *
 * @param issuedAt stamped once when the command was accepted; the only clock the domain reads
 * @param actor    API key id or service name, kept for the audit trail
 */
public record Command(UUID commandId, String orgId, Instant issuedAt, String actor, String phoneNumber, Change change) {
}
