/**
 * The chunk wire protocol, byte-compatible with the original C {@code myserver} and
 * {@code myclient}: requests and replies over TCP, each a 24-byte little-endian header
 * ({@code startOffset} i64, {@code transferSize} i64, {@code packetType} u32,
 * {@code textLength} u32) followed by at most 4095 bytes of UTF-8 text (a file name or an
 * error reason) and, after a chunk reply, the file data. Version 1, the original's, carries
 * one request and its reply per connection. chunk's extensions are new packet types, which a
 * server that does not know them answers with ERROR: DIGESTS (type 2), the SHA-256 of a
 * file's pieces and its root, with its size, so that a client can check every byte; and
 * KEEP-OPEN (type 3), which keeps a connection open for request after request.
 *
 * <p>{@link chunk.wire.Frame} models every message, one record per packet type, with the
 * protocol's constants; {@link chunk.wire.ByteRange} is a validated range of a file and
 * {@link chunk.wire.Digest} a SHA-256 digest.
 * {@link chunk.wire.FrameEncoder} and {@link chunk.wire.FrameDecoder} move frames over
 * blocking channels; malformed input is reported as a
 * {@link chunk.wire.MalformedFrameException} whose {@link chunk.wire.MalformedFrameException.Problem}
 * names the rule that was broken. Chunk data never passes through this module: a sender
 * writes the encoded reply header and then transfers the data straight from the file.
 *
 * <p>The protocol, its error replies, limits and extension rule are described for users in
 * the project's {@code docs/PROTOCOL.md}.
 *
 * <p>{@code chunk.wire.cli}, exported only to {@code chunk.client} and {@code chunk.server}, holds
 * what their command lines share: one option grammar, the usage-error and help wording, and
 * {@code OneLineLogging}, this module's {@link java.lang.System.LoggerFinder}, which prints every
 * {@code System.Logger} message as one line ({@code myserver: …}) on standard error.
 */
// "module": javac warns that chunk.client and chunk.server do not exist while it builds this module, before them.
@SuppressWarnings("module")
module chunk.wire {
    // transitive: @Nullable stands in this module's API (ByteRange, Digest), so its users read it too.
    requires static transitive org.jspecify;

    exports chunk.wire;
    exports chunk.wire.tree;
    // The command-line grammar and message helpers both programs share; not API.
    exports chunk.wire.cli to chunk.client, chunk.server;
    // Every System.Logger line in the programs' own one-line form (chunk.wire.cli.OneLineLogging).
    provides java.lang.System.LoggerFinder with chunk.wire.cli.OneLineLogging;
}
