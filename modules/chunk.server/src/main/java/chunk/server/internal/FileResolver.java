package chunk.server.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;

/**
 * Maps a requested file name to a regular file under the served root, or to nothing.
 * Everything refused looks the same to a client ("no such file"), so that it cannot learn
 * what exists outside the root. The check is made on the real path, after every symbolic
 * link is resolved, not only on the string: a link inside the root that stays inside is
 * served, one that leads out is not.
 */
final class FileResolver {

    private static final System.Logger LOG = System.getLogger("chunk.server");

    private final Path realRoot;

    /** @param realRoot the root with its links resolved ({@link Path#toRealPath}) */
    FileResolver(Path realRoot) {
        this.realRoot = realRoot;
    }

    Path root() {
        return realRoot;
    }

    /** The real path of the regular file that {@code name} denotes under the root, if it may be served. */
    Optional<Path> resolve(String name) {
        Path relative;
        try {
            relative = Path.of(name);
        } catch (InvalidPathException e) {
            return refused(name, "not a path here: " + e.getReason());
        }
        if (relative.isAbsolute() || name.startsWith("/") || hasForbiddenSegment(relative)) {
            return refused(name, "absolute, or a .. or hidden segment");
        }
        Path candidate = realRoot.resolve(relative).normalize();
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
        return attributes.isRegularFile() ? Optional.of(real) : refused(name, "not a regular file");
    }

    /** Every refusal answers "no such file"; the server's own log says why, for {@code --verbose}. */
    private static Optional<Path> refused(String name, String why) {
        LOG.log(System.Logger.Level.DEBUG, () -> "no such file for '" + name + "': " + why);
        return Optional.empty();
    }

    /** A {@code ..} or a hidden segment; a lone {@code .} ("./a.txt") is harmless. */
    private static boolean hasForbiddenSegment(Path relative) {
        for (Path segment : relative) {
            String text = segment.toString();
            if (text.startsWith(".") && !text.equals(".")) {
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
