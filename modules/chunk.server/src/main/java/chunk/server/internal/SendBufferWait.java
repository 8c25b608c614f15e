package chunk.server.internal;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * How a transfer waits while the socket's send buffer is full: in short sleeps, trying the
 * write again after each, never in a write that blocks. A blocked write would return only
 * once the kernel finds a third of the buffer free (Linux wakes a writer at that mark), and
 * with loopback's 4 MiB buffers a client that reads 300 KB/s, steadily, frees that much only
 * every 4 s: its transfer looked idle for all that time. A write tried after a sleep succeeds
 * as soon as the client's system has acknowledged any byte, so that every acknowledgement
 * the client makes is seen as progress within one sleep.
 *
 * <p>The sleep adapts to the client: halved when an eighth of the buffer or more drained
 * during it (a fast client, whose buffer must never run dry: on loopback it empties in a few
 * milliseconds), doubled when less than a thirty-second did or nothing at all (a slow or
 * stalled one, which then costs one system call per sleep), from {@link #SHORTEST} up to the
 * longest given. Against the blocking write it costs neither speed nor CPU beyond the noise
 * (docs/BENCHMARKS.md, "A full send buffer: short sleeps, not a blocking write").
 */
final class SendBufferWait {

    /**
     * The shortest sleep: at 1.3 GB/s a millisecond drains a third of loopback's send buffer,
     * and a quarter of a millisecond cost the servers more CPU for no more speed (the same
     * section of docs/BENCHMARKS.md).
     */
    static final long SHORTEST = TimeUnit.MILLISECONDS.toNanos(1);
    /** The longest sleep, for idle timeouts of 0.8 s and more: a stalled transfer then wakes ten times a second. */
    static final long LONGEST = TimeUnit.MILLISECONDS.toNanos(100);

    private final SocketChannel socket;
    private final long longest;
    private long sleepNanos = SHORTEST;
    private boolean slept;
    private long sentSinceSleep;

    /**
     * @param idleTimeout the idle timeout: no sleep is longer than an eighth of it, so that
     *     progress is seen at most that late
     */
    SendBufferWait(SocketChannel socket, Duration idleTimeout) {
        this.socket = socket;
        this.longest = longestSleep(idleTimeout);
    }

    /** The longest sleep for an idle timeout: the most by which progress may be seen late. */
    static long longestSleep(Duration idleTimeout) {
        return Math.clamp(idleTimeout.toNanos() / 8, SHORTEST, LONGEST);
    }

    /** Bytes were written into the buffer. */
    void sent(long bytes) {
        sentSinceSleep += bytes;
    }

    /** The buffer is full: sleeps, having made the sleep fit what drained during the one before. */
    void full() throws IOException, InterruptedException {
        if (slept) {
            long buffer = socket.getOption(StandardSocketOptions.SO_SNDBUF);
            if (sentSinceSleep >= buffer / 8) {
                sleepNanos = Math.max(SHORTEST, sleepNanos / 2);
            } else if (sentSinceSleep < buffer / 32) {
                sleepNanos = Math.min(longest, sleepNanos * 2);
            }
        }
        sentSinceSleep = 0;
        slept = true;
        Thread.sleep(Duration.ofNanos(sleepNanos));
    }
}
