/**
 * {@code myclient}: downloads one file from several chunk servers at once, in parallel
 * byte ranges, each range on its own virtual thread. Works with the original C servers
 * and with {@code chunk.server} (protocol: {@code docs/PROTOCOL.md}).
 *
 * <p>The API ({@link chunk.client.Downloader}) is exported for tests and embedding; the
 * command line lives in {@code chunk.client.internal.Main}.
 */
module chunk.client {
    requires chunk.wire;
    // sun.misc.Signal: Ctrl-C and SIGTERM save the resume record before the process exits.
    requires jdk.unsupported;
    requires static org.jspecify;

    exports chunk.client;
}
