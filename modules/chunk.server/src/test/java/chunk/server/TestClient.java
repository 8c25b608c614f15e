package chunk.server;

import chunk.wire.ByteRange;
import chunk.wire.Frame;
import chunk.wire.FrameDecoder;
import chunk.wire.FrameEncoder;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;

/** A plain blocking client for tests: raw bytes in, one reply (and its data) out. */
final class TestClient {

    /** Generous: a safety net against hangs, never a timing assertion. */
    static final int READ_TIMEOUT_MILLIS = 20_000;

    /** One reply: the frame, the data after a chunk reply, and whether the server then closed. */
    record Answer(Frame.Reply reply, byte[] data, boolean closedAfter) {}

    private TestClient() {}

    static Answer size(InetSocketAddress server, String name) throws IOException {
        return exchange(server, bytes(new Frame.SizeRequest(name)));
    }

    static Answer chunk(InetSocketAddress server, String name, long offset, long length) throws IOException {
        return exchange(server, bytes(new Frame.ChunkRequest(name, new ByteRange(offset, length))));
    }

    static Answer exchange(InetSocketAddress server, byte[] request) throws IOException {
        try (Socket socket = connect(server)) {
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            return readAnswer(socket);
        }
    }

    static Socket connect(InetSocketAddress server) throws IOException {
        Socket socket = new Socket();
        socket.connect(server, READ_TIMEOUT_MILLIS);
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        return socket;
    }

    static Answer readAnswer(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        Frame.Reply reply = FrameDecoder.readReply(Channels.newChannel(in));
        byte[] data = new byte[0];
        if (reply instanceof Frame.ChunkReply chunk) {
            data = in.readNBytes(Math.toIntExact(chunk.range().length()));
        }
        return new Answer(reply, data, in.read() < 0);
    }

    static byte[] bytes(Frame frame) {
        ByteBuffer buffer = FrameEncoder.encode(frame);
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    /** A header with any field values, as a misbehaving client might send. */
    static byte[] header(long startOffset, long transferSize, int packetType, int textLength) {
        return ByteBuffer.allocate(Frame.HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(startOffset).putLong(transferSize).putInt(packetType).putInt(textLength).array();
    }

    static byte[] concat(byte[] first, byte[] second) {
        byte[] all = new byte[first.length + second.length];
        System.arraycopy(first, 0, all, 0, first.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }
}
