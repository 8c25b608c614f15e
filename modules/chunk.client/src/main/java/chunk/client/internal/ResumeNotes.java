package chunk.client.internal;

import chunk.client.DownloadListener;
import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/** Says when a resume record is not used, and remembers how much each download resumed, for its summary. */
final class ResumeNotes implements DownloadListener {

    private final @Nullable PrintStream err;
    private final Map<String, Long> resumed = new ConcurrentHashMap<>();

    /** @param err where to say that a download starts over; null to say nothing (--quiet) */
    ResumeNotes(@Nullable PrintStream err) {
        this.err = err;
    }

    @Override
    public void started(String fileName, long size, int chunks) {
        resumed.remove(fileName);
    }

    @Override
    public void resumed(String fileName, long bytes, long size) {
        resumed.put(fileName, bytes);
    }

    @Override
    public void startedOver(String fileName, String why) {
        if (err != null) {
            err.println("myclient: " + fileName + ": " + why + "; starting over");
        }
    }

    /** The bytes the last download of {@code fileName} took from its part file. */
    long resumed(String fileName) {
        return resumed.getOrDefault(fileName, 0L);
    }
}
