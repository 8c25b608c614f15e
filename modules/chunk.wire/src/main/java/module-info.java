/**
 * The chunk wire protocol, byte-compatible with the original C {@code myserver} and
 * {@code myclient}: one request and one reply per TCP connection, each a 24-byte
 * little-endian header followed by text (and, after a chunk reply, file data).
 *
 * <p>{@link chunk.wire.Frame} models every message; {@link chunk.wire.FrameEncoder} and
 * {@link chunk.wire.FrameDecoder} move frames over blocking channels; malformed input is
 * reported as a {@link chunk.wire.MalformedFrameException} that names the problem. The
 * protocol itself is described in {@code docs/PROTOCOL.md}.
 */
module chunk.wire {
    requires static org.jspecify;

    exports chunk.wire;
}
