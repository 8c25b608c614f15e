// bench/DigestsClient.java: asks a myserver for DIGESTS as a client of KEEP-OPEN version 2 (the
// digest tree) would, for bench/digests. Single-file program, run with chunk.wire on the module path:
//   java -p jlink/target/modules --add-modules chunk.wire bench/DigestsClient.java MODE host port file L...
// Modes:
//   first   time one connection, its KEEP-OPEN at version 2 and the first DIGESTS page at the first L:
//           prints "first <ms> <root>"; the server's first answer for the file (a restart's, say)
//   pages   every page of digests at each L on one connection, each list checked against the root
//           (DigestTree.rootOfPieces): prints "pages <L> <pieces> <ms>" per L, as a version-2 client's
//           census (1 MiB) and download (its piece length) would ask them
import chunk.wire.Digest;
import chunk.wire.Frame;
import chunk.wire.FrameDecoder;
import chunk.wire.FrameEncoder;
import chunk.wire.tree.DigestTree;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

void main(String[] args) throws Exception {
    String mode = args[0];
    InetSocketAddress server = new InetSocketAddress(args[1], Integer.parseInt(args[2]));
    String file = args[3];
    long start = System.nanoTime();
    try (SocketChannel channel = SocketChannel.open(server)) {
        FrameEncoder.write(new Frame.KeepOpenRequest(Frame.KEEP_OPEN_TREE_VERSION), channel);
        if (!(FrameDecoder.readKeepOpenAnswer(channel) instanceof Frame.KeepOpenReply(long wait, long version))
                || version != Frame.KEEP_OPEN_TREE_VERSION) {
            throw new IllegalStateException("the server does not speak KEEP-OPEN version 2");
        }
        for (int i = 4; i < args.length; i++) {
            int length = Integer.parseInt(args[i]);
            long pageStart = System.nanoTime();
            List<Digest> pieces = new ArrayList<>();
            Frame.DigestReply reply;
            do {
                FrameEncoder.write(new Frame.DigestRequest(file, pieces.size(), length), channel);
                reply = (Frame.DigestReply) FrameDecoder.readReply(channel);
                pieces.addAll(reply.digests());
            } while (mode.equals("pages") && reply.digests().size() == Frame.MAX_DIGESTS_PER_REPLY);
            double ms = (System.nanoTime() - (mode.equals("first") ? start : pageStart)) / 1e6;
            if (mode.equals("first")) {
                IO.println("first %.1f %s".formatted(ms, reply.root().hex()));
                return;
            }
            if (!DigestTree.rootOfPieces(reply.fileSize(), length, pieces).equals(reply.root())) {
                throw new IllegalStateException("the pieces at " + length + " do not add up to the root");
            }
            IO.println("pages %d %d %.1f".formatted(length, pieces.size(), ms));
        }
    }
}
