package com.personasettings.schemas.registry;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.util.ClassSecurityValidator;

/**
 * Tells Avro's class guard which generated classes the deserializers may instantiate.
 *
 * <p>Since 1.12.1 Avro refuses to load a class named in a schema unless it is trusted (by the system
 * properties {@code org.apache.avro.SERIALIZABLE_PACKAGES} / {@code ..._CLASSES} or by
 * {@link ClassSecurityValidator#setGlobal}); a {@code SpecificDatumReader} looks up the generated class
 * of every record it creates, so without this it fails with a {@code SecurityException}. We trust
 * exactly the named types of the reader schemas our deserializers were given, nothing a writer schema
 * names, by adding a predicate to Avro's global one (whatever else it trusts stays trusted).
 */
final class TrustedClasses {

    private static final Set<String> NAMES = ConcurrentHashMap.newKeySet();
    private static boolean installed;

    private TrustedClasses() {
    }

    /** Trusts the classes of every record, enum and fixed type in {@code readerSchema}. */
    static void trust(Schema readerSchema) {
        addNamedTypes(readerSchema);
        synchronized (TrustedClasses.class) {
            if (!installed) {
                ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(
                        ClassSecurityValidator.getGlobal(), type -> NAMES.contains(type.getName())));
                installed = true;
            }
        }
    }

    private static void addNamedTypes(Schema schema) {
        switch (schema.getType()) {
            case RECORD -> {
                if (NAMES.add(schema.getFullName())) { // a record seen before (recursion) is not walked again
                    schema.getFields().forEach(field -> addNamedTypes(field.schema()));
                }
            }
            case ENUM, FIXED -> NAMES.add(schema.getFullName());
            case UNION -> schema.getTypes().forEach(TrustedClasses::addNamedTypes);
            case ARRAY -> addNamedTypes(schema.getElementType());
            case MAP -> addNamedTypes(schema.getValueType());
            default -> {
            }
        }
    }
}
