package com.personasettings.schemas.registry;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;

/**
 * Makes Avro resolve union branches by name only.
 *
 * <p>Avro's schema resolution maps a writer's union branch onto the reader branch of the same full name, and
 * when there is none, onto the first reader record whose fields happen to fit. A newer contract version with a
 * payload branch this reader does not know (say {@code ChangeLabel}) would then be read as the first field-less
 * reader branch, {@code ReleaseNumber}: another team's schema change could release a number. So before the
 * writer schema is handed to Avro, every named writer branch (record, enum, fixed) that has no branch of the
 * same full name in the reader's union is replaced by a zero-size {@code fixed} of the same name, which no
 * reader branch can match. Records that use such a branch then fail to decode with "Found <name>, expecting
 * union" (a per-record failure); records of the same writer schema that use known branches read as before.
 *
 * <p>Reader aliases are honoured: the writer is first renamed by {@link Schema#applyAliases}, as Avro does.
 */
final class StrictUnions {

    /**
     * @param writer          the writer schema to resolve against the reader instead of the registry's one
     * @param unknownBranches full names of the writer's union branches the reader does not know
     */
    record Prepared(Schema writer, Set<String> unknownBranches) {
    }

    private final Map<Schema, Schema> copies = new IdentityHashMap<>();
    private final Set<String> unknown = new LinkedHashSet<>();

    private StrictUnions() {
    }

    static Prepared prepare(Schema writer, Schema reader) {
        Schema aliased = Schema.applyAliases(writer, reader);
        StrictUnions walk = new StrictUnions();
        Schema prepared = walk.copy(aliased, reader);
        return new Prepared(prepared, Collections.unmodifiableSet(walk.unknown));
    }

    /** {@code w} with its unknown union branches replaced; {@code r} is the reader at the same place, or null. */
    private Schema copy(Schema w, Schema r) {
        if (w.getType() == Schema.Type.UNION) {
            List<Schema> branches = new ArrayList<>();
            boolean changed = false;
            for (Schema branch : w.getTypes()) {
                Schema copied = branch(branch, r);
                changed |= copied != branch;
                branches.add(copied);
            }
            return changed ? Schema.createUnion(branches) : w;
        }
        if (r != null && r.getType() == Schema.Type.UNION) {
            return branch(w, r); // a writer value where the reader has a union: the same rule
        }
        return switch (w.getType()) {
            case RECORD -> record(w, r);
            case ARRAY -> r != null && r.getType() == Schema.Type.ARRAY
                    ? array(w, copy(w.getElementType(), r.getElementType())) : w;
            case MAP -> r != null && r.getType() == Schema.Type.MAP
                    ? map(w, copy(w.getValueType(), r.getValueType())) : w;
            default -> w;
        };
    }

    /** One writer branch against the reader at its place, which may be a union, a single schema or nothing. */
    private Schema branch(Schema w, Schema r) {
        if (r == null) {
            return w;
        }
        List<Schema> candidates = r.getType() == Schema.Type.UNION ? r.getTypes() : List.of(r);
        if (isNamed(w)) {
            for (Schema candidate : candidates) {
                if (candidate.getType() == w.getType() && candidate.getFullName().equals(w.getFullName())) {
                    return copy(w, candidate);
                }
            }
            if (r.getType() != Schema.Type.UNION) {
                return copy(w, null); // no union at this place: Avro's own rules for named types apply
            }
            unknown.add(w.getFullName());
            return Schema.createFixed(w.getName(), "a union branch the reader does not know", w.getNamespace(), 0);
        }
        for (Schema candidate : candidates) {
            if (candidate.getType() == w.getType()) {
                return copy(w, candidate);
            }
        }
        return w;
    }

    private Schema record(Schema w, Schema r) {
        Schema done = copies.get(w);
        if (done != null) {
            return done;
        }
        if (r == null || r.getType() != Schema.Type.RECORD) {
            return w;
        }
        copies.put(w, w); // a recursive reference met while copying refers to the original until we know better
        List<Schema.Field> fields = new ArrayList<>();
        boolean changed = false;
        for (Schema.Field field : w.getFields()) {
            Schema.Field readerField = r.getField(field.name());
            Schema copied = readerField == null ? field.schema() : copy(field.schema(), readerField.schema());
            changed |= copied != field.schema();
            fields.add(new Schema.Field(field, copied));
        }
        if (!changed) {
            return w;
        }
        Schema copy = Schema.createRecord(w.getName(), w.getDoc(), w.getNamespace(), w.isError(), fields);
        w.getAliases().forEach(copy::addAlias);
        copies.put(w, copy);
        return copy;
    }

    private static Schema array(Schema w, Schema elements) {
        return elements == w.getElementType() ? w : Schema.createArray(elements);
    }

    private static Schema map(Schema w, Schema values) {
        return values == w.getValueType() ? w : Schema.createMap(values);
    }

    private static boolean isNamed(Schema schema) {
        return switch (schema.getType()) {
            case RECORD, ENUM, FIXED -> true;
            default -> false;
        };
    }
}
