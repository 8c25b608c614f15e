package chunk.client.internal;

import chunk.client.ChunkOutcome;
import chunk.client.DownloadListener;
import chunk.client.ServerAddress;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The progress line on a terminal: percent, bytes, rate, time left, chunks active and servers
 * in use, redrawn four times a second on one line. Only for terminals: nothing else should
 * receive carriage returns.
 */
final class Progress implements DownloadListener, PieceMapWatcher, AutoCloseable {

    private static final long REDRAW_MILLIS = 250;

    private final PrintStream terminal;
    private final LongAdder received = new LongAdder();
    /** Bytes an earlier run left in the part file: part of the percentage, not of the rate. */
    private volatile long resumed;
    /** The server each active chunk is receiving from. */
    private final Map<Integer, ServerAddress> receiving = new ConcurrentHashMap<>();
    private volatile @org.jspecify.annotations.Nullable PieceMap map;
    private volatile String fileName = "";
    private volatile long size = -1;
    private volatile long startNanos;
    private final Thread painter;
    private int lastWidth;

    Progress(PrintStream terminal) {
        this.terminal = terminal;
        this.painter = Thread.ofVirtual().name("progress").start(this::paintUntilClosed);
    }

    @Override
    public void started(String fileName, long size, int chunks) {
        received.reset();
        resumed = 0;
        receiving.clear();
        this.map = null;
        this.fileName = fileName;
        this.startNanos = System.nanoTime();
        this.size = size;
    }

    @Override
    public void resumed(String fileName, long bytes, long size) {
        resumed = bytes;
    }

    @Override
    public void watch(PieceMap map) {
        this.map = map;
    }

    @Override
    public void receiving(int index, ServerAddress server) {
        receiving.put(index, server);
    }

    @Override
    public void received(int index, long bytes) {
        received.add(bytes);
    }

    @Override
    public void finished(ChunkOutcome outcome) {
        receiving.remove(outcome.index());
    }

    /** The line as it is drawn now, without the carriage return. */
    String line() {
        long total = size;
        PieceMap pieces = map;
        long fetched = received.sum();
        // The map's done bytes include the pieces an earlier run left; the rate counts this run's only.
        long done = pieces != null ? pieces.doneBytes() : fetched + resumed;
        Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);
        double seconds = Math.max(elapsed.toNanos(), 1) / 1e9;
        double perSecond = fetched / seconds;
        String eta = perSecond < 1 ? "--:--" : clock((long) ((total - done) / perSecond));
        long percent = total == 0 ? 100 : done * 100 / total;
        if (pieces == null) {
            return String.format("%s %3d%% %s of %s, %s, ETA %s, %d chunks active, %d servers",
                    fileName, percent, HumanFormat.bytes(done), HumanFormat.bytes(total), HumanFormat.rate(fetched, elapsed), eta,
                    receiving.size(), receiving.values().stream().distinct().count());
        }
        return String.format("%s %3d%% %s of %s, %s, ETA %s, connections %s",
                fileName, percent, HumanFormat.bytes(done), HumanFormat.bytes(total), HumanFormat.rate(fetched, elapsed), eta,
                connections(pieces));
    }

    /** Connections open to each server, in the order of the server list, {@code x} for one left out: {@code 3+2+x}. */
    static String connections(PieceMap map) {
        int[] counts = map.connectionsPerServer();
        boolean[] usable = map.usableServers();
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < counts.length; i++) {
            if (i > 0) {
                text.append('+');
            }
            text.append(usable[i] || counts[i] > 0 ? Integer.toString(counts[i]) : "x");
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
        if (size < 0) {
            return; // between downloads
        }
        String line = line();
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
        size = -1;
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
        size = -1;
        synchronized (this) {
            if (lastWidth > 0) {
                terminal.print("\r" + " ".repeat(lastWidth) + "\r");
                terminal.flush();
                lastWidth = 0;
            }
        }
    }
}
