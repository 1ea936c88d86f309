package com.personasettings.torture;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;

/** Every request the generator meant to make and every send of it, with its answer: the client's side of the ledger. */
final class RequestLog {

    private final Map<Long, Intent> intents = new ConcurrentHashMap<>();
    private final Queue<Attempt> attempts = new ConcurrentLinkedQueue<>();

    void add(Intent intent) {
        intents.put(intent.id(), intent);
    }

    void add(Attempt attempt) {
        attempts.add(attempt);
    }

    List<Intent> intents() {
        return intents.values().stream().sorted(Comparator.comparingLong(Intent::id)).toList();
    }

    /** Sends by intent, in the order they were made. */
    Map<Long, List<Attempt>> attemptsByIntent() {
        return attempts.stream().sorted(Comparator.comparingInt(Attempt::number))
                .collect(Collectors.groupingBy(Attempt::intentId, Collectors.toList()));
    }

    List<Attempt> attempts() {
        return new ArrayList<>(attempts);
    }

    /** One JSON line per request with its sends, for reading after a run. */
    void write(Path file) {
        ObjectMapper json = new ObjectMapper();
        Map<Long, List<Attempt>> sends = attemptsByIntent();
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            for (Intent intent : intents()) {
                out.write(json.writeValueAsString(Map.of("intent", intent,
                        "attempts", sends.getOrDefault(intent.id(), List.of()))));
                out.newLine();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
