/**
 * {@code myclient}: downloads one file from several chunk servers at once, in parallel
 * byte ranges, each range on its own virtual thread. Works with the original C servers
 * and with {@code chunk.server} (protocol: {@code docs/PROTOCOL.md}).
 *
 * <p>The API ({@link chunk.client.Downloader}) is exported for tests and embedding; the
 * command line is {@code chunk.client.cli.Main}. The packages below the API, from the top:
 * {@code cli} (the command line), {@code download} (one file's path from the census to the
 * rename), {@code fetch} (the chunks' threads), {@code verify} (the census and the digests),
 * {@code plan} (the piece map), {@code disk} (the part file and the resume record),
 * {@code net} (the seam to the mirrors, with {@code net.wire} its chunk-protocol side) and
 * {@code text} (how things are said). Each imports only the packages below it; the project's
 * {@code docs/ARCHITECTURE.md} draws the map.
 */
// Apache HttpClient's jars are automatic modules at compile time; jlink/build-image.sh gives
// them descriptors before jlink, which takes only explicit modules.
@SuppressWarnings("requires-automatic")
module chunk.client {
    // transitive: ByteRange and @Nullable stand in this module's API, so its users read them too.
    requires transitive chunk.wire;
    // sun.misc.Signal (reached through method handles): Ctrl-C and SIGTERM save the resume record
    // before the process exits. Required so that jlink puts the module in the image.
    requires jdk.unsupported;
    requires static transitive org.jspecify;
    // HTTP(S) mirrors (chunk.client.net.http): Apache HttpClient 5, classic.
    requires org.apache.httpcomponents.client5.httpclient5;
    requires org.apache.httpcomponents.core5.httpcore5;
    requires org.slf4j;

    // The HTTP client logs through SLF4J: its lines go to System.Logger, in the program's form.
    provides org.slf4j.spi.SLF4JServiceProvider with chunk.client.net.http.SystemLoggerProvider;

    exports chunk.client;
}
