package chunk.wire.cli;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One option of a command line: its long name ({@code --output}), an optional one-letter
 * short name ({@code -o}), the name of its value in the help ({@code <path>}; none for a
 * flag), its line of help, what the manual adds to that line, and what a shell may complete
 * its value with. A program lists its options in one table and hands it to
 * {@link Tokenizer#tokenize}; its help, man page and shell completions are made from the same
 * table ({@link Manual}), so that none can name an option the others do not.
 *
 * @param name the long name, starting with {@code --}
 * @param shortName {@code -} and one letter, or null
 * @param valueName how the help names the value ({@code <s>}), or null for a flag
 * @param help one line: what the option does, and its default where it has one
 * @param details what the man page says after the help line (paragraphs apart by a blank
 *     line), or empty
 * @param completion what a shell offers for the value ({@link Completion#NOTHING} for a flag)
 * @param repeatable whether it may be given more than once, each time with a value of its own
 *     ({@code -s a -s b}); an option that is not may be given once
 */
public record Option(String name, @Nullable String shortName, @Nullable String valueName, String help,
        String details, Completion completion, boolean repeatable) {

    /** {@code -h}, {@code --help}: the same on every program. */
    public static final Option HELP = flag("--help", "-h", "show this help");
    /** {@code -V}, {@code --version}: the same on every program. */
    public static final Option VERSION = flag("--version", "-V", "show the version");

    public Option {
        // Plain character tests, not a regex: these run at every start of both programs.
        if (!name.startsWith("--") || name.length() < 3 || name.indexOf('=') >= 0) {
            throw new IllegalArgumentException("a long option name is --word, not " + name);
        }
        if (shortName != null && (shortName.length() != 2 || shortName.charAt(0) != '-'
                || !Character.isLetter(shortName.charAt(1)))) {
            throw new IllegalArgumentException("a short option name is - and one letter, not " + shortName);
        }
        Objects.requireNonNull(help);
        Objects.requireNonNull(details);
        if (valueName == null && !(completion instanceof Completion.Nothing)) {
            throw new IllegalArgumentException(name + " takes no value, so there is nothing to complete");
        }
        if (repeatable && valueName == null) {
            throw new IllegalArgumentException("a flag given twice is the same flag: only an option with a value repeats");
        }
    }

    /** A flag with a long name only. */
    public static Option flag(String name, String help) {
        return new Option(name, null, null, help, "", Completion.NOTHING, false);
    }

    /** A flag with a long and a short name. */
    public static Option flag(String name, String shortName, String help) {
        return new Option(name, shortName, null, help, "", Completion.NOTHING, false);
    }

    /** An option that takes a value, with a long name only. */
    public static Option valued(String name, String valueName, String help) {
        return new Option(name, null, valueName, help, "", Completion.NOTHING, false);
    }

    /** An option that takes a value, with a long and a short name. */
    public static Option valued(String name, String shortName, String valueName, String help) {
        return new Option(name, shortName, valueName, help, "", Completion.NOTHING, false);
    }

    /** {@code -q}, {@code --quiet}, with this program's words for what it leaves out. */
    public static Option quiet(String help) {
        return flag("--quiet", "-q", help);
    }

    /** {@code -v}, {@code --verbose}, with this program's words for what it adds. */
    public static Option verbose(String help) {
        return flag("--verbose", "-v", help);
    }

    /** An option that takes a value and may be given several times, each value kept in order. */
    public static Option repeatable(String name, String shortName, String valueName, String help) {
        return new Option(name, shortName, valueName, help, "", Completion.NOTHING, true);
    }

    /** This option, with {@code details} for its entry in the man page (paragraphs apart by a blank line). */
    public Option described(String details) {
        return new Option(name, shortName, valueName, help, details, completion, repeatable);
    }

    /** This option, whose value a shell completes with {@code completion}. */
    public Option completing(Completion completion) {
        return new Option(name, shortName, valueName, help, details, completion, repeatable);
    }

    /** Whether the option takes a value. */
    public boolean takesValue() {
        return valueName != null;
    }
}
