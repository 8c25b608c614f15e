package chunk.server.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Maps a requested file name to a regular file under the served root, or to nothing.
 * Everything refused for the file looks the same to a client ("no such file"), so that it
 * cannot learn what exists outside the root. The check is made on the spelling of the name and
 * then on the real path, after every symbolic link is resolved, not only on the string: a link
 * inside the root that stays inside is served, one that leads out is not.
 *
 * <p>Each file has one name: its path under the root, segments joined by one {@code /}. The
 * other spellings the file system would take for it ({@code ./a}, {@code a/}, {@code a//b},
 * {@code a/./b}) are refused, so that what a client asks for, what the access log says and what
 * a cache is keyed by are the same text for the same file. A name too long for any path the
 * kernel opens is answered "name too long" instead: that depends only on the name (and the
 * root's length), never on what exists.
 */
final class FileResolver {

    private static final System.Logger LOG = System.getLogger("chunk.server");

    /** The longest path Linux opens, in bytes: {@code PATH_MAX} (4096) less its closing NUL. */
    static final int MAX_PATH_BYTES = 4095;
    /** The longest name of one file or folder, in bytes: {@code NAME_MAX} of Linux's file systems. */
    static final int MAX_SEGMENT_BYTES = 255;

    /** What a name comes to. */
    sealed interface Resolution {
        /** A regular file that may be served: its real path. */
        record Found(Path realPath) implements Resolution {}

        /** Nothing that may be served: missing, hidden, a link out, another spelling; all alike. */
        record NoSuchFile() implements Resolution {}

        /** A name no path the kernel opens can hold, under this root. */
        record NameTooLong() implements Resolution {}
    }

    private static final Resolution NO_SUCH_FILE = new Resolution.NoSuchFile();

    private final Path realRoot;
    private final int rootBytes;

    /** @param realRoot the root with its links resolved ({@link Path#toRealPath}) */
    FileResolver(Path realRoot) {
        this.realRoot = realRoot;
        this.rootBytes = realRoot.toString().getBytes(StandardCharsets.UTF_8).length;
    }

    Path root() {
        return realRoot;
    }

    /** The regular file that {@code name} denotes under the root, if it may be served. */
    Resolution resolve(String name) {
        if (!isTheOneSpelling(name)) {
            return refused(name, "not a file's one name here: absolute, an empty, '.', '..' or hidden segment");
        }
        if (tooLong(name)) {
            LOG.log(System.Logger.Level.DEBUG, () -> "name too long: " + name.length() + " characters under a root of "
                    + rootBytes + " bytes");
            return new Resolution.NameTooLong();
        }
        Path candidate;
        try {
            candidate = realRoot.resolve(name).normalize();
        } catch (InvalidPathException e) {
            return refused(name, "not a path here: " + e.getReason());
        }
        if (!candidate.startsWith(realRoot)) {
            return refused(name, "outside the root");
        }
        Path real;
        BasicFileAttributes attributes;
        try {
            real = candidate.toRealPath();
            attributes = Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException | SecurityException e) {
            return refused(name, e.toString());
        }
        // A link may lead out of the root, or to a hidden file inside it: judge where it lands.
        if (!real.startsWith(realRoot) || real.equals(realRoot) || hasForbiddenSegment(realRoot.relativize(real))) {
            return refused(name, "a link to " + real + ", outside the root or hidden");
        }
        return attributes.isRegularFile() ? new Resolution.Found(real) : refused(name, "not a regular file");
    }

    /** Every refusal answers "no such file"; the server's own log says why, for {@code --verbose}. */
    private static Resolution refused(String name, String why) {
        LOG.log(System.Logger.Level.DEBUG, () -> "no such file for '" + name + "': " + why);
        return NO_SUCH_FILE;
    }

    /**
     * Whether {@code name} is a relative path written the one way: segments joined by single
     * slashes, none empty, none {@code .} or {@code ..}, none hidden (starting with a dot).
     */
    static boolean isTheOneSpelling(String name) {
        for (String segment : name.split("/", -1)) {
            if (segment.isEmpty() || segment.startsWith(".")) {
                return false; // "", "/a", "a/", "a//b"; ".", "..", ".hidden"
            }
        }
        return true;
    }

    /** Whether the path under the root, or one of its segments, is longer than the kernel opens. */
    private boolean tooLong(String name) {
        if (rootBytes + 1 + name.getBytes(StandardCharsets.UTF_8).length > MAX_PATH_BYTES) {
            return true;
        }
        for (String segment : name.split("/")) {
            if (segment.getBytes(StandardCharsets.UTF_8).length > MAX_SEGMENT_BYTES) {
                return true;
            }
        }
        return false;
    }

    /** A {@code ..} or a hidden segment, in a path the file system gave. */
    private static boolean hasForbiddenSegment(Path relative) {
        for (Path segment : relative) {
            if (segment.toString().startsWith(".")) {
                return true; // covers ".." as well as ".hidden"
            }
        }
        return false;
    }

    /** Whether the root is still a folder; a server whose root vanished cannot serve anything. */
    boolean rootExists() {
        return Files.isDirectory(realRoot);
    }
}
