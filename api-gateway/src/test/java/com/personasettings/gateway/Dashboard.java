package com.personasettings.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A Grafana dashboard, read for the metric names its PromQL queries use. */
record Dashboard(JsonNode json) {

    /** A metric name: a word of the query that is followed by a selector, a range or the end of an argument. */
    private static final Pattern METRIC = Pattern.compile("\\b([a-z_][a-z0-9_]*)\\s*(?=[{\\[)])");
    /** PromQL's own words that can stand where a metric does. */
    private static final Set<String> PROMQL = Set.of("sum", "rate", "by", "histogram_quantile", "le", "without",
            "irate", "increase", "avg", "max", "min");

    static Dashboard read(Path file) throws IOException {
        JsonNode json = new ObjectMapper().readTree(file.toFile());
        if (!json.path("panels").isArray()) {
            throw new IllegalStateException(file + " is not a dashboard: it has no panels");
        }
        return new Dashboard(json);
    }

    Set<String> metrics() {
        Set<String> metrics = new TreeSet<>();
        for (JsonNode panel : json.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                // Grouping clauses and label matchers name labels, not metrics: out of the way first.
                String expr = target.path("expr").asText()
                        .replaceAll("\\b(by|without)\\s*\\([^)]*\\)", " ")
                        .replaceAll("\\{[^}]*}", "{}");
                Matcher matcher = METRIC.matcher(expr);
                while (matcher.find()) {
                    if (!PROMQL.contains(matcher.group(1))) {
                        metrics.add(matcher.group(1));
                    }
                }
            }
        }
        return metrics;
    }
}
