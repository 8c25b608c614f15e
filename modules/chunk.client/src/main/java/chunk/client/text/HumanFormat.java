package chunk.client.text;

import java.time.Duration;
import java.util.Locale;

/** Durations, sizes and rates as people read them. */
public final class HumanFormat {

    private HumanFormat() {}

    /** {@code 5 s}, {@code 0.25 s}, {@code 1.52 s}. */
    public static String seconds(Duration duration) {
        if (duration.toNanosPart() == 0) {
            return duration.toSeconds() + " s"; // without a Formatter: the help's defaults are made at every start
        }
        double seconds = duration.toNanos() / 1e9;
        return String.format(Locale.ROOT, seconds < 10 ? "%.2f s" : "%.1f s", seconds);
    }

    /** {@code 512 B}, {@code 1.50 KiB}, {@code 1.00 GiB}. */
    public static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, value < 10 ? "%.2f %s" : value < 100 ? "%.1f %s" : "%.0f %s", value, units[unit]);
    }

    /** A rate in decimal megabytes per second, as curl and benchmarks report it: {@code 706 MB/s}. */
    public static String rate(long bytes, Duration elapsed) {
        double seconds = Math.max(elapsed.toNanos(), 1) / 1e9;
        double megabytes = bytes / seconds / 1e6;
        return String.format(Locale.ROOT, megabytes < 10 ? "%.2f MB/s" : "%.0f MB/s", megabytes);
    }
}
