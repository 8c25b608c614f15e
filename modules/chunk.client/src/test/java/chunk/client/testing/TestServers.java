package chunk.client.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The servers one test starts, all closed after it, and the random files they serve: the
 * set-up the client's test classes share. The test that owns it closes it after each test.
 */
public final class TestServers implements AutoCloseable {

    private final List<AutoCloseable> started = new ArrayList<>();

    /** A {@link TestServer} for the files in {@code root}, with {@code fault}. */
    public TestServer serving(Path root, TestServer.Fault fault) throws IOException {
        return closedAtTheEnd(TestServer.serving(root, fault));
    }

    /** Any other server the test starts (a real myserver, say), closed with the others. */
    public <T extends AutoCloseable> T closedAtTheEnd(T server) {
        started.add(server);
        return server;
    }

    /** {@code size} bytes from {@code seed}, written as {@code file}. */
    public static byte[] randomFile(Path file, int size, long seed) throws IOException {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        Files.write(file, bytes);
        return bytes;
    }

    /** Closes every server, in the order started. */
    @Override
    public void close() throws IOException {
        for (AutoCloseable server : started) {
            try {
                server.close();
            } catch (IOException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IOException("cannot close " + server, e);
            }
        }
    }
}
