package chunk.client.cli;

import chunk.client.DownloadListener;
import chunk.client.DownloadProgress;
import chunk.client.text.HumanFormat;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The progress line on a terminal: percent, bytes, rate, time left and the connections to each
 * server, redrawn four times a second on one line. It counts nothing itself: every figure is
 * read from the download's {@link DownloadProgress}, which reads the piece map. Only for
 * terminals: nothing else should receive carriage returns.
 */
final class Progress implements DownloadListener, AutoCloseable {

    private static final long REDRAW_MILLIS = 250;

    private final PrintStream terminal;
    private volatile @Nullable DownloadProgress download;
    private volatile String fileName = "";
    private volatile long startNanos;
    private final Thread painter;
    private int lastWidth;

    Progress(PrintStream terminal) {
        this.terminal = terminal;
        this.painter = Thread.ofVirtual().name("progress").start(this::paintUntilClosed);
    }

    @Override
    public void started(String fileName, long size, int chunks) {
        this.download = null;
        this.fileName = fileName;
        this.startNanos = System.nanoTime();
    }

    @Override
    public void progressing(DownloadProgress progress) {
        this.download = progress;
    }

    /** The line as it is drawn now, without the carriage return; empty between downloads. */
    String line() {
        DownloadProgress now = download;
        if (now == null) {
            return "";
        }
        long total = now.size();
        long done = now.doneBytes();
        // The rate counts this run's bytes only: not those an earlier run left.
        long fetched = done - now.resumedBytes() + now.inFlightBytes();
        Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);
        double seconds = Math.max(elapsed.toNanos(), 1) / 1e9;
        double perSecond = fetched / seconds;
        String eta = perSecond < 1 ? "--:--" : clock((long) ((total - done) / perSecond));
        long percent = total == 0 ? 100 : done * 100 / total;
        return String.format("%s %3d%% %s of %s, %s, ETA %s, connections %s",
                fileName, percent, HumanFormat.bytes(done), HumanFormat.bytes(total), HumanFormat.rate(fetched, elapsed), eta,
                connections(now.connections()));
    }

    /** Connections open to each server, in the order of the server list, {@code x} for one left out: {@code 3+2+x}. */
    static String connections(int[] counts) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < counts.length; i++) {
            if (i > 0) {
                text.append('+');
            }
            text.append(counts[i] < 0 ? "x" : Integer.toString(counts[i]));
        }
        return text.toString();
    }

    private static String clock(long seconds) {
        return seconds >= 3600
                ? String.format("%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
                : String.format("%d:%02d", seconds / 60, seconds % 60);
    }

    private void paintUntilClosed() {
        try {
            while (true) {
                TimeUnit.MILLISECONDS.sleep(REDRAW_MILLIS);
                paint();
            }
        } catch (InterruptedException e) {
            // close() stops the painter
        }
    }

    synchronized void paint() {
        String line = line();
        if (line.isEmpty()) {
            return; // between downloads
        }
        // Pad over the previous line's tail: it may have been longer.
        terminal.print("\r" + line + " ".repeat(Math.max(0, lastWidth - line.length())));
        terminal.flush();
        lastWidth = line.length();
    }

    /** Stops drawing for good, and clears the line. */
    @Override
    public void close() {
        painter.interrupt();
        try {
            painter.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        clear();
    }

    /**
     * Ends the line where it is, for good: on Ctrl-C the drawn progress stays, and whatever is
     * printed next (the shell's prompt, a message) starts on a line of its own.
     */
    void endLine() {
        download = null;
        painter.interrupt();
        synchronized (this) {
            if (lastWidth > 0) {
                terminal.println();
                terminal.flush();
                lastWidth = 0;
            }
        }
    }

    /** Clears the line until the next download starts, so that the next message starts on a clean one. */
    void clear() {
        download = null;
        synchronized (this) {
            if (lastWidth > 0) {
                terminal.print("\r" + " ".repeat(lastWidth) + "\r");
                terminal.flush();
                lastWidth = 0;
            }
        }
    }
}
