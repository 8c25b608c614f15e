package chunk.server.internal;

import chunk.server.internal.digests.FileIdentity;
import chunk.server.internal.digests.TreePass;
import chunk.wire.tree.DigestTree;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * {@code myserver --print-root <file>...}: prints each file's digest-tree root (its BitTorrent
 * v2 pieces root), one line per file in the form of {@code sha256sum} ({@code <hex>  <file>}),
 * so that a user can publish what {@code myclient --root} takes. A flag of {@code myserver} rather
 * than a program of its own: the same image, launcher and man page, and the very code the server
 * hashes with. Hashed from the file, never from the digest cache: a root to publish is worth one pass.
 */
final class RootPrinter {

    /** Attempts on a file that changes while it is hashed. */
    private static final int ATTEMPTS = 3;

    private RootPrinter() {}

    /** @return {@link ExitCode#OK}'s code if every root was printed, else {@link ExitCode#FATAL}'s after one line per failure */
    static int print(CommandLine.PrintRoot command, PrintStream out, PrintStream err) {
        int status = ExitCode.OK.code();
        for (Path file : command.files()) {
            try {
                out.println(treeOf(file).root().hex() + "  " + file);
            } catch (IOException e) {
                err.println("myserver: cannot read " + file + ": " + reason(e));
                if (command.verbose()) {
                    e.printStackTrace(err);
                }
                status = ExitCode.FATAL.code();
            }
        }
        out.flush();
        return status;
    }

    private static DigestTree treeOf(Path file) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class); // through a link, as served
        if (!attributes.isRegularFile()) {
            throw new IOException(attributes.isDirectory() ? "a folder, not a file" : "not a regular file");
        }
        Path real = file.toRealPath();
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            if (TreePass.hash(FileIdentity.of(real), TreePass.Between.NONE) instanceof TreePass.Result.Done(FileIdentity _, DigestTree tree)) {
                return tree;
            }
        }
        throw new IOException("it changed during each of " + ATTEMPTS + " passes; try again once it is written");
    }

    private static String reason(IOException e) {
        return switch (e) {
            case NoSuchFileException _ -> "no such file";
            case AccessDeniedException _ -> "permission denied";
            default -> String.valueOf(e.getMessage());
        };
    }
}
