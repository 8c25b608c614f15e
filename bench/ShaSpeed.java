// bench/ShaSpeed.java: how fast this JVM computes SHA-256, from a byte[] and from a direct
// ByteBuffer (as a socket read fills it), in 256 KiB slices. Single-file program:
//   /usr/lib/jvm/temurin-25-jdk-amd64/bin/java [-XX:TieredStopAtLevel=1] bench/ShaSpeed.java [MiB] [rounds]
// Each round hashes MiB (default 1024) mebibytes and prints the rate; the first rounds include
// the JIT compiling the digest code, which is what a short download pays too.
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;

void main(String[] args) throws Exception {
    int mib = args.length > 0 ? Integer.parseInt(args[0]) : 1024;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    int slice = 256 * 1024;
    byte[] heap = new byte[slice];
    new Random(1).nextBytes(heap);
    ByteBuffer direct = ByteBuffer.allocateDirect(slice).put(heap).flip();
    long bytes = (long) mib << 20;
    for (String kind : new String[] {"byte[]", "direct ByteBuffer"}) {
        for (int round = 1; round <= rounds; round++) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            long start = System.nanoTime();
            for (long done = 0; done < bytes; done += slice) {
                if (kind.equals("byte[]")) {
                    sha.update(heap, 0, slice);
                } else {
                    sha.update(direct.clear());
                }
            }
            byte[] digest = sha.digest();
            double seconds = (System.nanoTime() - start) / 1e9;
            IO.println("%s round %d: %d MiB in %.3f s, %.2f GB/s (%s)".formatted(kind, round, mib, seconds,
                    bytes / seconds / 1e9, HexFormat.of().formatHex(digest, 0, 4)));
        }
    }
}
