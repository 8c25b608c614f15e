package chunk.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import chunk.client.DownloadProgress;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressTests {

    private final ByteArrayOutputStream drawn = new ByteArrayOutputStream();

    private Progress progress() {
        return new Progress(new PrintStream(drawn, true, StandardCharsets.UTF_8));
    }

    private String drawn() {
        return drawn.toString(StandardCharsets.UTF_8);
    }

    /** A download's progress as its piece map would give it. */
    private record Snapshot(long size, long doneBytes, long resumedBytes, long inFlightBytes, int[] connections)
            implements DownloadProgress {}

    @Test
    void showsTheShareDoneAndTheConnectionsToEachServerAnXForOneLeftOut() {
        try (Progress progress = progress()) {
            progress.started("a.bin", 2048, 4);
            progress.progressing(new Snapshot(2048, 1024, 0, 100, new int[] {2, 1, -1}));

            assertThat(progress.line()).matches("a\\.bin  50% 1\\.00 KiB of 2\\.00 KiB, [0-9.]+ MB/s, ETA [0-9:-]+,"
                    + " connections 2\\+1\\+x");
        }
    }

    @Test
    void drawsNothingBeforeTheDownloadSaysHowFarItIs() {
        try (Progress progress = progress()) {
            progress.started("a.bin", 2048, 4);

            assertThat(progress.line()).isEmpty();
        }
    }

    @Test
    void redrawsOverItselfAndIsClearedBeforeTheSummary() {
        try (Progress progress = progress()) {
            progress.started("a.bin", 100, 1);
            progress.progressing(new Snapshot(100, 0, 0, 0, new int[] {1}));
            progress.paint();
            progress.clear();

            assertThat(drawn()).startsWith("\ra.bin   0% ").endsWith("\r").doesNotContain("\n");
        }
    }

    @Test
    void endsItsLineForGoodOnCtrlC() {
        Progress progress = progress();
        progress.started("a.bin", 100, 1);
        progress.progressing(new Snapshot(100, 0, 0, 0, new int[] {1}));
        progress.paint();

        progress.endLine();
        progress.paint();
        progress.close();

        assertThat(drawn()).startsWith("\ra.bin   0% ").endsWith("\n").containsOnlyOnce("\r");
    }
}
