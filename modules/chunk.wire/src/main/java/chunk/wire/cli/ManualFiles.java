package chunk.wire.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a program's man page and shell completions, made from its {@link Manual}, into a folder
 * laid out as {@code /usr/share} is: {@code man/man1/<program>.1},
 * {@code bash-completion/completions/<program>}, {@code zsh/vendor-completions/_<program>}. The
 * build calls it (through each program's {@code WriteManual}) with the runtime image it
 * packages, so that what is installed is what that image's programs say.
 */
public final class ManualFiles {

    private ManualFiles() {}

    /**
     * Writes the three files under {@code share}, replacing older ones.
     *
     * @param version the footer's version, {@code chunk 1.0.0}
     * @param date the footer's date, {@code 2026-12-01}
     */
    public static void write(Manual manual, String version, String date, Path share) throws IOException {
        String program = manual.program();
        write(share.resolve("man/man1/" + program + ".1"), ManPage.of(manual, version, date));
        write(share.resolve("bash-completion/completions/" + program), BashCompletion.of(manual));
        write(share.resolve("zsh/vendor-completions/_" + program), ZshCompletion.of(manual));
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }
}
