package chunk.server.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Which version of a file a reply sends: its size, modification time and file key (device
 * and inode) when the reply began. The transfer loop compares it with the file between
 * slices, so that a file rewritten while it is sent ends the reply short instead of mixing
 * old bytes and new (one {@code stat} per slice: see docs/BENCHMARKS.md for its cost).
 */
record FileVersion(Path path, long size, FileTime modified, @Nullable Object fileKey) {

    static FileVersion of(Path path) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        return new FileVersion(path, attributes.size(), attributes.lastModifiedTime(), attributes.fileKey());
    }

    /** False if the file was changed, replaced or removed since this version was taken. */
    boolean isCurrent() {
        try {
            BasicFileAttributes now = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return now.size() == size && now.lastModifiedTime().equals(modified) && Objects.equals(now.fileKey(), fileKey);
        } catch (IOException e) {
            return false;
        }
    }
}
