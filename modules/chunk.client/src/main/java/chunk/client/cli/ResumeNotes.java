package chunk.client.cli;

import chunk.client.DownloadListener;
import java.io.PrintStream;
import org.jspecify.annotations.Nullable;

/** Says when a resume record is not used, and why: the download then starts over. */
final class ResumeNotes implements DownloadListener {

    private final @Nullable PrintStream err;

    /** @param err where to say that a download starts over; null to say nothing (--quiet) */
    ResumeNotes(@Nullable PrintStream err) {
        this.err = err;
    }

    @Override
    public void startedOver(String fileName, String why) {
        if (err != null) {
            err.println("myclient: " + fileName + ": " + why + "; starting over");
        }
    }
}
