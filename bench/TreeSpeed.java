// bench/TreeSpeed.java: how fast the digest tree (chunk.wire.tree) hashes, next to plain SHA-256 of
// the same bytes in the same JVM, and what answering from kept leaves costs. Single-file program:
//   ./mvnw -q -pl modules/chunk.wire compile
//   /usr/lib/jvm/temurin-25-jdk-amd64/bin/java -p modules/chunk.wire/target/classes --add-modules chunk.wire \
//       bench/TreeSpeed.java [MiB] [rounds]
// Each round hashes MiB (default 1024) mebibytes, fed 1 MiB at a time from a heap array (as the
// server reads a file) and, for the client's pieces, from a direct buffer (as a socket read fills
// it); the first rounds include the JIT compiling the code, as a short run pays too.
import chunk.wire.tree.DigestTree;
import chunk.wire.tree.PieceHasher;
import chunk.wire.tree.TreeHasher;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Random;

static final int SLICE = 1 << 20;

void main(String[] args) throws Exception {
    int mib = args.length > 0 ? Integer.parseInt(args[0]) : 1024;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    byte[] heap = new byte[64 << 20]; // hashed again and again: 64 MiB, larger than any CPU cache
    new Random(1).nextBytes(heap);
    ByteBuffer direct = ByteBuffer.allocateDirect(SLICE).put(heap, 0, SLICE).flip();
    long bytes = (long) mib << 20;
    DigestTree tree = null;
    for (int round = 1; round <= rounds; round++) {
        double plain = time(() -> {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (long done = 0; done < bytes; done += SLICE) {
                sha.update(heap, (int) (done % heap.length), SLICE);
            }
            sha.digest();
            return null;
        });
        TreeHasher hasher = new TreeHasher(bytes);
        double treeSeconds = time(() -> {
            for (long done = 0; done < bytes; done += SLICE) {
                hasher.update(heap, (int) (done % heap.length), SLICE);
            }
            return null;
        });
        tree = hasher.finish();
        double pieces = time(() -> {
            PieceHasher pieceHasher = new PieceHasher(bytes, 1 << 20);
            for (long done = 0; done < bytes; done += SLICE) {
                pieceHasher.update(direct.clear());
                pieceHasher.finish();
            }
            return null;
        });
        IO.println("round %d, %d MiB: plain SHA-256 %.2f GB/s; tree (leaves kept) %.2f GB/s (%.3f of plain); 1 MiB pieces from a direct buffer %.2f GB/s"
                .formatted(round, mib, bytes / plain / 1e9, bytes / treeSeconds / 1e9, plain / treeSeconds, bytes / pieces / 1e9));
    }
    DigestTree leaves = tree;
    byte[] layer = leaves.layer();
    for (int round = 1; round <= rounds; round++) {
        double root = time(() -> DigestTree.fromLayer(leaves.size(), 0, layer));
        double page16k = time(() -> leaves.pieces(16 << 10, 0, 126));
        double page1m = time(() -> leaves.pieces(1 << 20, 0, 126));
        double layer1m = time(() -> {
            long count = leaves.pieceCount(1 << 20);
            for (long first = 0; first < count; first += 126) {
                leaves.pieces(1 << 20, first, (int) Math.min(126, count - first));
            }
            return null;
        });
        double keep64k = time(() -> leaves.keepingLayer(2));
        IO.println(("from the leaves of %d MiB (%d KiB): root %.2f ms; a page of 126 digests at 16 KiB %.3f ms, at 1 MiB %.2f ms; "
                + "every page at 1 MiB %.2f ms; the 64 KiB layer %.2f ms").formatted(mib, layer.length >> 10, root * 1e3,
                page16k * 1e3, page1m * 1e3, layer1m * 1e3, keep64k * 1e3));
    }
}

interface Work {
    Object run() throws Exception;
}

static double time(Work work) throws Exception {
    long start = System.nanoTime();
    work.run();
    return (System.nanoTime() - start) / 1e9;
}
