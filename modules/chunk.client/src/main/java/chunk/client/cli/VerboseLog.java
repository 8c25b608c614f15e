package chunk.client.cli;

import chunk.client.DownloadListener;
import chunk.client.ServerAddress;
import chunk.client.ServerFailure;
import chunk.client.text.Shown;
import chunk.wire.ByteRange;
import java.io.PrintStream;
import org.jspecify.annotations.Nullable;

/** {@code --verbose}: one line on standard error for each connection attempt and each failure. */
record VerboseLog(PrintStream err) implements DownloadListener {

    @Override
    public void connecting(ServerAddress server, String fileName, @Nullable ByteRange range) {
        String name = Shown.name(fileName);
        err.println("myclient: connecting to " + server + " for "
                + (range == null ? "the size of " + name : "bytes " + range + " of " + name));
    }

    @Override
    public void serverFailed(ServerFailure failure) {
        err.println("myclient: " + failure.server() + " failed: " + failure.reason());
    }
}
