package com.personasettings.processor.replay;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Compares a replayed database with the live one, row for row and column for column: {@code inbound_numbers}
 * and the {@code command_outcomes} of commands below the offsets the replay reached. A number the live
 * processor changed after those offsets is not compared (the replay never saw that command).
 *
 * <p>Both tables are read in key order and merged, so no table is held in memory whatever its size.
 */
public final class DatabaseComparison {

    /** One row that differs: missing on one side, or a column with another value. */
    public record Difference(String table, String key, String what) {
        @Override
        public String toString() {
            return table + " " + key + ": " + what;
        }
    }

    /**
     * @param numbers   numbers compared
     * @param outcomes  outcome rows compared
     * @param skipped   numbers not compared: changed in live after the replay's end
     */
    public record Summary(long numbers, long outcomes, long skipped, long differences) {
        public boolean identical() {
            return differences == 0;
        }
    }

    private static final String NUMBERS = """
            select phone_number, id, org_id, label, persona_id, persona_settings::text as persona_settings,
                   updated_at, source_offset, released
            from inbound_numbers order by phone_number collate "C"
            """;
    private static final String OUTCOMES = """
            select command_id::text as command_id, phone_number, org_id, command_type, actor, issued_at,
                   command::text as command, source_partition, source_offset, succeeded, result::text as result,
                   errors::text as errors
            from command_outcomes order by command_id, phone_number collate "C"
            """;
    /** Rows fetched per round trip: a server-side cursor instead of the whole table in memory. */
    private static final int FETCH = 1_000;
    /** UUID order of the text form equals PostgreSQL's uuid order; "C" collation is the byte order of UTF-8. */
    private static final Comparator<String> BYTES = (a, b) ->
            Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

    private final Jdbi live;
    private final Jdbi replayed;
    private final Map<Integer, Long> end;

    /** @param end the offsets the replay stopped at ({@link Replay.Result#end()}) */
    public DatabaseComparison(Jdbi live, Jdbi replayed, Map<Integer, Long> end) {
        this.live = live;
        this.replayed = replayed;
        this.end = end;
    }

    /** Reports every difference to {@code report}, in key order. */
    public Summary compare(Consumer<Difference> report) {
        return live.inTransaction(liveHandle -> replayed.inTransaction(replayedHandle -> {
            long[] differences = {0};
            long[] skipped = {0};
            Consumer<Difference> counted = difference -> {
                differences[0]++;
                report.accept(difference);
            };
            long numbers;
            try (Stream<Map<String, Object>> liveRows = rows(liveHandle, NUMBERS);
                 Stream<Map<String, Object>> replayedRows = rows(replayedHandle, NUMBERS)) {
                numbers = merge(liveRows.iterator(), replayedRows.iterator(), List.of("phone_number"), row -> true,
                        (key, difference) -> {
                            if (changedAfterEnd(liveHandle, key)) {
                                skipped[0]++;
                            } else {
                                counted.accept(new Difference("inbound_numbers", key, difference));
                            }
                        });
            }
            long outcomes;
            try (Stream<Map<String, Object>> liveRows = rows(liveHandle, OUTCOMES);
                 Stream<Map<String, Object>> replayedRows = rows(replayedHandle, OUTCOMES)) {
                outcomes = merge(liveRows.iterator(), replayedRows.iterator(), List.of("command_id", "phone_number"),
                        row -> ((Number) row.get("source_offset")).longValue()
                                < end.getOrDefault(((Number) row.get("source_partition")).intValue(), 0L),
                        (key, difference) -> counted.accept(new Difference("command_outcomes", key, difference)));
            }
            return new Summary(numbers, outcomes, skipped[0], differences[0]);
        }));
    }
    private interface Mismatch {
        void report(String key, String difference);
    }

    private interface Filter {
        boolean compared(Map<String, Object> row);
    }

    /**
     * Walks two key-ordered row streams side by side; rows the filter drops are skipped on both sides.
     * Returns how many keys were compared; a row that differs is reported once, with every differing column.
     */
    private static long merge(Iterator<Map<String, Object>> live, Iterator<Map<String, Object>> replayed,
                              List<String> keyColumns, Filter filter, Mismatch mismatch) {
        Map<String, Object> l = next(live, filter);
        Map<String, Object> r = next(replayed, filter);
        long keys = 0;
        while (l != null || r != null) {
            keys++;
            int order = l == null ? 1 : r == null ? -1 : compareKeys(l, r, keyColumns);
            if (order < 0) {
                mismatch.report(key(l, keyColumns), "only in live");
                l = next(live, filter);
            } else if (order > 0) {
                mismatch.report(key(r, keyColumns), "only in the replay");
                r = next(replayed, filter);
            } else {
                List<String> columns = new ArrayList<>();
                for (String column : l.keySet()) {
                    if (!Objects.equals(l.get(column), r.get(column))) {
                        columns.add(column + " is " + l.get(column) + " in live, " + r.get(column) + " in the replay");
                    }
                }
                if (!columns.isEmpty()) {
                    mismatch.report(key(l, keyColumns), String.join("; ", columns));
                }
                l = next(live, filter);
                r = next(replayed, filter);
            }
        }
        return keys;
    }

    private static Map<String, Object> next(Iterator<Map<String, Object>> rows, Filter filter) {
        while (rows.hasNext()) {
            Map<String, Object> row = rows.next();
            if (filter.compared(row)) {
                return row;
            }
        }
        return null;
    }

    private static int compareKeys(Map<String, Object> a, Map<String, Object> b, List<String> keyColumns) {
        for (String column : keyColumns) {
            int order = BYTES.compare((String) a.get(column), (String) b.get(column));
            if (order != 0) {
                return order;
            }
        }
        return 0;
    }

    private static String key(Map<String, Object> row, List<String> keyColumns) {
        return String.join(" ", keyColumns.stream().map(column -> (String) row.get(column)).toList());
    }

    /** Whether the live processor recorded a command for the number at or after the replay's end. */
    private boolean changedAfterEnd(Handle liveHandle, String phoneNumber) {
        return liveHandle.createQuery("""
                        select source_partition, max(source_offset) as last from command_outcomes
                        where phone_number = :phoneNumber group by source_partition
                        """)
                .bind("phoneNumber", phoneNumber)
                .mapToMap().stream()
                .anyMatch(row -> ((Number) row.get("last")).longValue()
                        >= end.getOrDefault(((Number) row.get("source_partition")).intValue(), 0L));
    }

    private static Stream<Map<String, Object>> rows(Handle handle, String sql) {
        return handle.createQuery(sql).setFetchSize(FETCH).mapToMap().stream();
    }
}
