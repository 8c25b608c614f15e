package chunk.client.disk;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Which process holds a file's lock, for the message that names the other download. Only Linux
 * tells it ({@code /proc/locks}); elsewhere, or if anything is unclear, the answer is empty.
 */
final class LockHolder {

    private static final Path PROC_LOCKS = Path.of("/proc/locks");

    private LockHolder() {}

    /** The process id of the holder of a lock on {@code file}, if the system says. */
    static Optional<Long> of(Path file) {
        try {
            if (!Files.isReadable(PROC_LOCKS)) {
                return Optional.empty();
            }
            long inode = ((Number) Files.getAttribute(file, "unix:ino", LinkOption.NOFOLLOW_LINKS)).longValue();
            return holderOf(inode, Files.readAllLines(PROC_LOCKS));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // only a nicer message is lost
        }
    }

    /**
     * The pid on the line of {@code /proc/locks} for {@code inode}, such as
     * {@code 1: POSIX  ADVISORY  WRITE 4242 08:03:1234 0 EOF}. The device is not compared: one
     * inode number on two file systems with locks at once is rare, and only a message depends on it.
     */
    static Optional<Long> holderOf(long inode, List<String> procLocks) {
        for (String line : procLocks) {
            String[] fields = line.trim().split("\\s+");
            // "->" marks a process waiting for the lock, not holding it
            if (fields.length >= 6 && !fields[1].equals("->")) {
                String[] device = fields[5].split(":");
                if (device.length == 3 && device[2].equals(Long.toString(inode))) {
                    try {
                        return Optional.of(Long.parseLong(fields[4]));
                    } catch (NumberFormatException e) {
                        return Optional.empty();
                    }
                }
            }
        }
        return Optional.empty();
    }
}
