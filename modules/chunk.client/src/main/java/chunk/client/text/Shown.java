package chunk.client.text;

import java.nio.file.Path;

/** Paths and file names as messages show them: short enough for one line, as the user thinks of them. */
public final class Shown {

    /**
     * The most characters of a name a message shows. A name may be 4095 bytes on the wire; a
     * line that long hides what it says. The start and the end are kept, where names differ most.
     */
    public static final int MAX_NAME = 120;

    private Shown() {}

    /** {@code path} relative to {@code workingDirectory} when it is inside it, else as given; shortened. */
    public static String path(Path workingDirectory, Path path) {
        Path base = workingDirectory.toAbsolutePath().normalize();
        Path absolute = path.toAbsolutePath().normalize();
        return name(absolute.startsWith(base) && !absolute.equals(base) ? base.relativize(absolute).toString() : path.toString());
    }

    /** {@code name}, or its first and last characters around {@code …} when it is longer than {@link #MAX_NAME}. */
    public static String name(String name) {
        if (name.length() <= MAX_NAME) {
            return name;
        }
        int keep = (MAX_NAME - 1) / 2;
        return name.substring(0, keep) + "…" + name.substring(name.length() - keep);
    }
}
