package com.personasettings.processor;

import com.personasettings.schemas.registry.SchemaRegistryException;

/** Tells a registry that is down from a record that is bad. */
final class RegistryErrors {

    private RegistryErrors() {
    }

    /**
     * True when the failure says nothing about the record: no answer from the registry, or a server error.
     * Such a record must be retried, never dead-lettered. A 404 for its schema id is the record's fault.
     */
    static boolean isTransient(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SchemaRegistryException registry) {
                return registry.status() == SchemaRegistryException.NO_RESPONSE || registry.status() >= 500;
            }
        }
        return false;
    }
}
