/**
 * {@code myclient}: downloads one file from several chunk servers at once, in parallel
 * byte ranges, each range on its own virtual thread. Works with the original C servers
 * and with {@code chunk.server} (protocol: {@code docs/PROTOCOL.md}).
 *
 * <p>The API ({@link chunk.client.Downloader}) is exported for tests and embedding; the
 * command line lives in {@code chunk.client.internal.Main}.
 */
module chunk.client {
    // transitive: ByteRange and @Nullable stand in this module's API, so its users read them too.
    requires transitive chunk.wire;
    // sun.misc.Signal (reached through method handles): Ctrl-C and SIGTERM save the resume record
    // before the process exits. Required so that jlink puts the module in the image.
    requires jdk.unsupported;
    requires static transitive org.jspecify;

    exports chunk.client;
}
