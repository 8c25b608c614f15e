package chunk.server.internal.digests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.Objects;

/**
 * Which version of a file a digest tree is of: its real path, device, inode, size, and the
 * times of its last modification and of its last status change, to the nanosecond. If any of
 * them differs, so may the bytes, and a tree kept for the old version is not used.
 *
 * <p>The status-change time (ctime) is there beside what issue 21 names because a program can set
 * a file's modification time back ({@code touch -d}, {@code cp -p}, {@code tar x}) after writing
 * new bytes of the same length in place, and no program can set the ctime: every write moves it.
 * It also moves on a {@code chmod}, which costs one needless hashing pass; that is the safe side.
 *
 * @param path the file's real path
 * @param device the device the file is on ({@code st_dev}), or 0 where the system does not say
 * @param inode its inode ({@code st_ino}), or 0 where the system does not say
 * @param size its length in bytes
 * @param modifiedNanos {@code st_mtim} in nanoseconds since the epoch
 * @param changedNanos {@code st_ctim} in nanoseconds since the epoch, or 0 where the system does not say
 */
public record FileIdentity(Path path, long device, long inode, long size, long modifiedNanos, long changedNanos) {

    /** The attributes of the {@code unix} view that make an identity; Linux and the other Unixes have them. */
    private static final String UNIX_ATTRIBUTES = "unix:dev,ino,size,lastModifiedTime,ctime";

    public FileIdentity {
        Objects.requireNonNull(path, "path");
    }

    /**
     * The identity of the file at {@code realPath} now, without following a link.
     *
     * @throws IOException if the file cannot be looked at (it is gone, or not readable)
     */
    public static FileIdentity of(Path realPath) throws IOException {
        try {
            Map<String, Object> unix = Files.readAttributes(realPath, UNIX_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
            return new FileIdentity(realPath, (Long) unix.get("dev"), (Long) unix.get("ino"), (Long) unix.get("size"),
                    nanos((FileTime) unix.get("lastModifiedTime")), nanos((FileTime) unix.get("ctime")));
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            // Not a Unix: the file key (if any) and the modification time are all there is.
            BasicFileAttributes basic = Files.readAttributes(realPath, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            long key = basic.fileKey() == null ? 0 : basic.fileKey().hashCode();
            return new FileIdentity(realPath, 0, key, basic.size(), nanos(basic.lastModifiedTime()), 0);
        }
    }

    /** Whether the file at this path is still this version; false if it cannot be looked at. */
    public boolean isCurrent() {
        try {
            return of(path).equals(this);
        } catch (IOException e) {
            return false;
        }
    }

    private static long nanos(FileTime time) {
        return time.to(java.util.concurrent.TimeUnit.NANOSECONDS);
    }
}
