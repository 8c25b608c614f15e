package chunk.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import chunk.client.ServerAddress;
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

    @Test
    void showsTheShareReceivedAndTheChunksAndServersActive() {
        try (Progress progress = progress()) {
            progress.started("a.bin", 2048, 4);
            progress.receiving(0, new ServerAddress("127.0.0.1", 4000));
            progress.receiving(1, new ServerAddress("127.0.0.1", 4000));
            progress.receiving(2, new ServerAddress("::1", 4001));
            progress.received(0, 1024);

            assertThat(progress.line()).matches("a\\.bin  50% 1\\.00 KiB of 2\\.00 KiB, [0-9.]+ MB/s, ETA [0-9:-]+,"
                    + " 3 chunks active, 2 servers");
        }
    }

    @Test
    void redrawsOverItselfAndIsClearedBeforeTheSummary() {
        try (Progress progress = progress()) {
            progress.started("a.bin", 100, 1);
            progress.paint();
            progress.clear();

            assertThat(drawn()).startsWith("\ra.bin   0% ").endsWith("\r").doesNotContain("\n");
        }
    }

    @Test
    void endsItsLineForGoodOnCtrlC() {
        Progress progress = progress();
        progress.started("a.bin", 100, 1);
        progress.paint();

        progress.endLine();
        progress.paint();
        progress.close();

        assertThat(drawn()).startsWith("\ra.bin   0% ").endsWith("\n").containsOnlyOnce("\r");
    }
}
