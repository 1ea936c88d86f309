package com.personasettings.schemas.registry;

/**
 * The schema registry answered with an error, or could not be reached.
 *
 * <p>Carries the HTTP status and the registry's own {@code error_code} (Confluent codes such as 40401
 * subject not found, 40403 schema not found, 409 incompatible; Apicurio answers the same codes except
 * an incompatible schema, which it reports as 409 with error_code 0). When no answer arrived at all
 * (connection refused, timeout) the status is {@link #NO_RESPONSE}.
 *
 * <p>The serdes let this exception through for registry outages instead of turning it into a
 * {@link org.apache.kafka.common.errors.SerializationException}: a record is not a poison pill just
 * because the registry is down, so a dead-letter handler can tell the two apart.
 */
public final class SchemaRegistryException extends RuntimeException {

    /** Status used when the registry gave no HTTP answer. */
    public static final int NO_RESPONSE = 0;
    /** Error code used when the answer carried none (or was not JSON). */
    public static final int NO_ERROR_CODE = -1;

    private final int status;
    private final int errorCode;

    public SchemaRegistryException(String request, int status, int errorCode, String registryMessage) {
        super(request + " failed: HTTP " + status + ", error_code " + errorCode + ": " + registryMessage);
        this.status = status;
        this.errorCode = errorCode;
    }

    public SchemaRegistryException(String request, Throwable cause) {
        super(request + " failed: no answer from the schema registry: " + cause, cause);
        this.status = NO_RESPONSE;
        this.errorCode = NO_ERROR_CODE;
    }

    /** The HTTP status, or {@link #NO_RESPONSE}. */
    public int status() {
        return status;
    }

    /** The registry's {@code error_code}, or {@link #NO_ERROR_CODE}. */
    public int errorCode() {
        return errorCode;
    }

    public boolean isNotFound() {
        return status == 404;
    }

    /**
     * The registry answered that no schema has this id (Confluent's error code 40403). Only this says a
     * record is bad; any other 404 (a wrong base URL, say) is a configuration problem.
     */
    public boolean isSchemaNotFound() {
        return status == 404 && errorCode == 40403;
    }
}
