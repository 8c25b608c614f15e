package chunk.client.disk;

import chunk.client.DownloadOptions;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Where a downloaded file is saved. Without {@code --output} it is the base name of the
 * requested name (after its last {@code /}) in the working folder, so that a name such as
 * {@code ../x} or {@code /etc/x} can never land outside that folder.
 */
public final class OutputTarget {

    private OutputTarget() {}

    /** No safe file name can be made from the requested name. */
    public static final class RefusedException extends Exception {
        @java.io.Serial
        private static final long serialVersionUID = 1L;

        RefusedException(String fileName) {
            super("'" + fileName + "' has no file name to save under");
        }
    }

    /**
     * The final path for {@code fileName}.
     *
     * @throws RefusedException if no safe name can be made from it
     */
    public static Path resolve(String fileName, DownloadOptions options) throws RefusedException {
        Path directory = options.directory();
        Path output = options.output();
        if (output != null) {
            Path chosen = directory.resolve(output);
            if (!Files.isDirectory(chosen)) {
                return chosen; // the user named the file: any place they choose is theirs
            }
            directory = chosen;
        }
        String base = baseName(fileName);
        if (base.isEmpty() || base.equals(".") || base.equals("..")) {
            throw new RefusedException(fileName);
        }
        try {
            // base holds no separator, so it names an entry of directory itself
            return directory.resolve(base);
        } catch (InvalidPathException e) {
            throw new RefusedException(fileName);
        }
    }

    /** The part of {@code fileName} after its last {@code /}: servers use {@code /} as the separator. */
    public static String baseName(String fileName) {
        return fileName.substring(fileName.lastIndexOf('/') + 1);
    }
}
