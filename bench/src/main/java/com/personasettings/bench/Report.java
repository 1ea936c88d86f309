package com.personasettings.bench;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Writes a run's results: a Markdown table with every ratio to its ceiling, the percentile plot, .hgrm files. */
public final class Report {

    private Report() {
    }

    public static void write(Results r, String machine, Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("results.md"), markdown(r, machine));
        for (Results.Sync sync : r.sync()) {
            String name = f("sync-%d-%s.hgrm", (int) sync.run().rate(), sync.commit().fileTag());
            try (PrintStream out = new PrintStream(dir.resolve(name).toFile())) {
                sync.run().latency().outputPercentileDistribution(out, 1000.0);    // microseconds → milliseconds
            }
        }
        plot(r, dir.resolve("latency.png"));
    }

    static String markdown(Results r, String machine) {
        StringBuilder md = new StringBuilder();
        md.append("Run finished ").append(r.finished()).append(" on ").append(machine).append(".\n\n");
        md.append("| figure | product | ceiling (same run) | ratio | target |\n|---|---|---|---|---|\n");
        double pgMs = r.postgresSingleMillis();
        String batched = f("%,.0f commands/s (batched)", r.postgresBatched().perSecond());
        row(md, "PostgreSQL, one command per transaction", f("%.2f ms mean, %,.0f commands/s", pgMs,
                r.postgresSingle().perSecond()), "—", "—", "ceiling");
        row(md, "PostgreSQL, " + com.personasettings.processor.replay.Replay.BATCH + " commands per transaction",
                f("%,.0f commands/s", r.postgresBatched().perSecond()), "—", "—", "ceiling");
        row(md, "PostgreSQL, " + com.personasettings.processor.replay.Replay.BATCH + " commands per transaction by COPY",
                f("%,.0f commands/s", r.postgresCopy().perSecond()), "—", "—", "ceiling");
        row(md, "Kafka produce, acks=all, " + r.commandBytes() + "-byte records (ProducerPerformance)",
                f("%,.0f records/s", r.kafkaProducePerSecond()), "—", "—", "ceiling");
        for (Results.Sync s : r.sync()) {
            OpenLoop.Result sync = s.run();
            Histogram h = sync.latency();
            double p99 = Results.millis(h, 99);
            row(md, f("sync PATCH at %d requests/s, %s: p50 / p99 / p99.9 (%,d answered, statuses %s)",
                            (int) sync.rate(), s.commit().label(), sync.answered(), sync.statuses()),
                    f("%.1f / %.1f / %.1f ms", Results.millis(h, 50), p99, Results.millis(h, 99.9)),
                    f("%.2f ms (one transaction)", pgMs), f("p99 = %.1f×", p99 / pgMs),
                    sync.rate() == 1000 ? "p99 ≤ 10×" : "");
        }
        for (Results.Async async : r.async()) {
            row(md, f("async PATCH offered at %d requests/s: accepted → persisted → outcome emitted (statuses %s)%s",
                            (int) async.run().rate(), async.run().statuses(), async.sustained() ? "" : ", not sustained"),
                    f("%,.0f commands/s (202 p50 / p99 %.1f / %.1f ms)", async.endToEndPerSecond(),
                            Results.millis(async.run().latency(), 50), Results.millis(async.run().latency(), 99)),
                    batched,
                    f("%.2f", async.endToEndPerSecond() / r.postgresBatched().perSecond()), "");
        }
        r.highestSustainedAsync().ifPresentOrElse(
                best -> row(md, "highest sustained async throughput end to end", f("%,.0f commands/s", best),
                        batched,
                        f("%.2f", best / r.postgresBatched().perSecond()), "≥ 0.33"),
                () -> row(md, "highest sustained async throughput end to end", "no offered rate was sustained",
                        "—", "—", "≥ 0.33"));
        row(md, f("processor draining %,d pre-filled commands", r.drainedCommands()),
                f("%,.0f commands/s", r.drainPerSecond()),
                batched,
                f("%.2f", r.drainPerSecond() / r.postgresBatched().perSecond()), "");
        double fastest = Math.max(r.postgresBatched().perSecond(), r.postgresCopy().perSecond());
        row(md, f("replay of the whole log (%,d records) into a fresh database", r.replay().records()),
                f("%,.0f records/s", r.replay().recordsPerSecond()),
                f("%,.0f commands/s (fastest batched: %s)", fastest,
                        fastest == r.postgresCopy().perSecond() ? "COPY" : "multi-row statements"),
                f("%.2f", r.replay().recordsPerSecond() / fastest), "≥ 0.9");
        row(md, f("processor restart with %,d numbers in its state, clean: to RUNNING / serving every partition "
                        + "(from starting its JVM; burst answered %s; restored from changelogs: %s)",
                        r.numbersInState(), r.restart().statuses(), restored(r.restart())),
                f("%.2f / %s s", seconds(r.restart().running()), serving(r.restart())),
                f("first start: %.2f s", seconds(r.firstStart())), "—", "≤ 5 s");
        restartAgainstClean(md, r, "after kill -9", r.restartAfterKill());
        restartAgainstClean(md, r, "after kill -9 and without its state directory", r.restartWithoutState());
        peers(md, r);
        cpu(md, r);
        return md.toString();
    }

    /**
     * The product next to what a team would build without Kafka (the CRUD peer) and to the HTTP stack alone, at the
     * same rates, from the same load generator.
     */
    static void peers(StringBuilder md, Results r) {
        if (r.references().isEmpty()) {
            return;
        }
        md.append("\nThe product, its CRUD peer (one PostgreSQL transaction per PATCH) and the HTTP ceiling (a trivial "
                + "authenticated request), same HTTP stack and key check, same load generator: sync p50 / p99 / p99.9\n\n"
                + "| rate | product | CRUD peer | HTTP ceiling | product p99 ÷ peer p99 | target |\n|---|---|---|---|---|---|\n");
        for (Results.Sync s : r.sync()) {
            double rate = s.run().rate();
            var peer = r.reference(Results.Peer.CRUD, rate);
            var http = r.reference(Results.Peer.HTTP, rate);
            md.append(f("| %d/s, %s | %s | %s | %s | %s | %s |%n", (int) rate, s.commit().label(), percentiles(s.run()),
                    peer.map(p -> percentiles(p.run())).orElse("—"), http.map(h -> percentiles(h.run())).orElse("—"),
                    peer.map(p -> f("%.1f×", Results.millis(s.run().latency(), 99)
                            / Math.max(0.001, Results.millis(p.run().latency(), 99)))).orElse("—"),
                    rate == 1000 ? "≤ 2×" : ""));
        }
        for (Results.Peer peer : Results.Peer.values()) {
            for (Results.Reference ref : r.references().stream().filter(x -> x.peer() == peer).toList()) {
                md.append(f("| %s alone at %d/s | | %s | | | |%n", peer.label, (int) ref.run().rate(),
                        percentiles(ref.run()) + " " + ref.run().statuses() + (ref.sustained() ? "" : ", not sustained")));
            }
        }
        String async = r.highestSustainedAsync().isPresent() ? f("%,.0f/s", r.highestSustainedAsync().getAsDouble()) : "none";
        String crud = sustained(r, Results.Peer.CRUD);
        String http = sustained(r, Results.Peer.HTTP);
        md.append(f("%nHighest sustained: product async end to end %s; CRUD peer sync %s; HTTP ceiling %s. "
                        + "Product ÷ peer: %s (target ≥ 1); product ÷ HTTP ceiling: %s (target ≥ 0.5).%n", async, crud, http,
                ratio(r.highestSustainedAsync(), r.highestSustained(Results.Peer.CRUD)),
                ratio(r.highestSustainedAsync(), r.highestSustained(Results.Peer.HTTP))));
    }

    private static String percentiles(OpenLoop.Result run) {
        Histogram h = run.latency();
        return f("%.1f / %.1f / %.1f ms", Results.millis(h, 50), Results.millis(h, 99), Results.millis(h, 99.9));
    }

    private static String sustained(Results r, Results.Peer peer) {
        var best = r.highestSustained(peer);
        return best.isPresent() ? f("%,.0f/s offered", best.getAsDouble()) : "at none of the offered rates";
    }

    private static String ratio(java.util.OptionalDouble product, java.util.OptionalDouble reference) {
        return product.isPresent() && reference.isPresent()
                ? f("%.2f", product.getAsDouble() / reference.getAsDouble()) : "—";
    }

    /**
     * CPU per command of every process in every phase, from /proc. "servers" is every part but the load generator;
     * "bound" is the rate the machine's cores would carry at that cost if the servers had them all.
     */
    static void cpu(StringBuilder md, Results r) {
        List<String> phases = new ArrayList<>();
        List<CpuUse> uses = new ArrayList<>();
        for (Results.Sync s : r.sync()) {
            phases.add(f("sync %d/s, %s", (int) s.run().rate(), s.commit().label()));
            uses.add(s.cpu());
        }
        for (Results.Async a : r.async()) {
            phases.add(f("async %d/s offered", (int) a.run().rate()));
            uses.add(a.cpu());
        }
        for (Results.Reference ref : r.references()) {
            phases.add(f("%s %d/s", ref.peer().label, (int) ref.run().rate()));
            uses.add(ref.cpu());
        }
        phases.add(f("drain of %,d commands", r.drainedCommands()));
        uses.add(r.drainCpu());
        List<String> parts = new ArrayList<>(uses.get(0).micros().keySet());
        md.append("\nCPU per command, µs (all processes read from /proc over each phase; servers = all but the load "
                + "generator; bound = ").append(CORES).append(" cores ÷ servers' CPU per command; JIT = the servers' "
                + "JIT compiler threads, part of the servers' figure; processor JIT = the processor's share of it)\n\n"
                + "| phase | commands |");
        parts.forEach(p -> md.append(' ').append(p).append(" |"));
        md.append(" servers | JIT | processor JIT | cores busy | bound |\n|---|---|");
        parts.forEach(p -> md.append("---|"));
        md.append("---|---|---|---|---|\n");
        for (int i = 0; i < phases.size(); i++) {
            CpuUse use = uses.get(i);
            md.append("| ").append(phases.get(i)).append(" | ").append(f("%,d", use.commands())).append(" |");
            parts.forEach(p -> md.append(f(" %,.0f |", use.microsPerCommand(p))));
            md.append(f(" %,.0f | %,.0f | %,.0f | %.2f | %,.0f/s |%n", use.serverMicrosPerCommand(),
                    use.serverJitMicrosPerCommand(), use.jitMicrosPerCommand("processor"), use.cores(),
                    use.boundPerSecond(CORES)));
        }
    }

    private static final int CORES = Runtime.getRuntime().availableProcessors();

    /** A restart's row, next to the clean restart of the same run. */
    private static void restartAgainstClean(StringBuilder md, Results r, String how, Results.Restart restart) {
        row(md, f("processor restart with %,d numbers in its state, %s: to RUNNING / serving every partition (burst "
                        + "answered %s; restored from changelogs: %s)", r.numbersInState(), how, restart.statuses(),
                        restored(restart)),
                f("%.2f / %s s", seconds(restart.running()), serving(restart)),
                f("clean: %.2f s serving", seconds(r.restart().serving())),
                f("%.1f×", seconds(restart.serving()) / Math.max(0.001, seconds(r.restart().serving()))),
                "≤ 10 s");
    }

    /** The time to serving; "≥" when some of the burst waited out the reply timeout (202), so it was not yet serving. */
    private static String serving(Results.Restart restart) {
        boolean waited = restart.statuses().keySet().stream().anyMatch(s -> s != 200 && s != 400 && s != 404);
        return (waited ? "≥ " : "") + f("%.2f", seconds(restart.serving()));
    }

    /** "1,234 records (numbers 1,000, recent-outcomes 234)", or "nothing". */
    private static String restored(Results.Restart restart) {
        if (restart.restoredRecords() == 0) {
            return "nothing";
        }
        StringBuilder stores = new StringBuilder();
        restart.restored().forEach((store, records) ->
                stores.append(stores.isEmpty() ? "" : ", ").append(store).append(' ').append(f("%,d", records)));
        return f("%,d records (%s)", restart.restoredRecords(), stores);
    }

    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }

    private static void row(StringBuilder md, String figure, String product, String ceiling, String ratio, String target) {
        md.append("| ").append(figure).append(" | ").append(product).append(" | ").append(ceiling).append(" | ")
                .append(ratio).append(" | ").append(target).append(" |\n");
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    /** Latency by percentile on the usual HdrHistogram axis: 1/(1-p), so 10 is p90, 100 p99, 1000 p99.9. */
    static void plot(Results r, Path png) throws IOException {
        XYSeriesCollection data = new XYSeriesCollection();
        for (Results.Sync s : r.sync()) {
            XYSeries series = new XYSeries(f("%d requests/s, %s", (int) s.run().rate(), s.commit().label()));
            for (HistogramIterationValue v : s.run().latency().percentiles(5)) {
                double p = v.getPercentileLevelIteratedTo() / 100;
                if (p < 0.99999) {
                    series.add(1 / (1 - p), v.getValueIteratedTo() / 1000.0);
                }
            }
            data.addSeries(series);
        }
        LogAxis x = decades(new LogAxis("percentile as 1/(1-p): 10 = p90, 100 = p99, 1000 = p99.9"));
        x.setSmallestValue(1);
        // Logarithmic too: a saturated rate's seconds would otherwise flatten the milliseconds of the others.
        LogAxis y = decades(new LogAxis("latency (ms)"));
        y.setSmallestValue(0.1);
        XYPlot plot = new XYPlot(data, x, y, new XYLineAndShapeRenderer(true, false));
        JFreeChart chart = new JFreeChart("Sync PATCH latency by percentile (open loop)", plot);
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 900, 500);
    }

    /** A tick at every power of ten, labelled with its plain value (1, 10, 100) rather than 10^n. */
    private static LogAxis decades(LogAxis axis) {
        axis.setBase(10);
        axis.setTickUnit(new NumberTickUnit(1), false, true);    // and no automatic half-decades
        axis.setNumberFormatOverride(new DecimalFormat("#,##0.#"));
        return axis;
    }
}
