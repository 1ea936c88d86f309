package com.personasettings.processor.replay;

import java.io.PrintStream;
import java.time.Duration;

/** Replay progress; on a terminal, one line rewritten in place: records, rate and time left. */
public interface Progress {

    void update(long done, long total);

    void finish();

    static Progress none() {
        return new Progress() {
            @Override
            public void update(long done, long total) {
            }

            @Override
            public void finish() {
            }
        };
    }

    /** A line on the terminal when there is one, nothing otherwise (a log file gets only the summary). */
    static Progress forConsole(PrintStream out) {
        return System.console() == null ? none() : new Line(out, System.nanoTime());
    }

    final class Line implements Progress {
        private static final long EVERY_NANOS = Duration.ofMillis(250).toNanos();
        private final PrintStream out;
        private final long started;
        private long printed;

        Line(PrintStream out, long started) {
            this.out = out;
            this.started = started;
            this.printed = started - EVERY_NANOS;
        }

        @Override
        public void update(long done, long total) {
            long now = System.nanoTime();
            if (now - printed < EVERY_NANOS && done < total) {
                return;
            }
            printed = now;
            out.print("\r" + line(done, total, now - started));
            out.flush();
        }

        @Override
        public void finish() {
            out.println();
        }

        static String line(long done, long total, long elapsedNanos) {
            double seconds = elapsedNanos / 1e9;
            double rate = seconds > 0 ? done / seconds : 0;
            String left = rate > 0 ? clock((long) ((total - done) / rate)) : "--:--";
            return String.format("replayed %,d / %,d records (%d%%)  %,.0f records/s  %s left   ",
                    done, total, total == 0 ? 100 : done * 100 / total, rate, left);
        }

        private static String clock(long seconds) {
            return String.format("%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60);
        }
    }
}
