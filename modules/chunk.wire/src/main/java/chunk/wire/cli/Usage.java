package chunk.wire.cli;

import java.util.List;

/** The wording both programs share for usage errors and for the option lines of their help. */
public final class Usage {

    /** Where the help text of an option starts (a program lines its positional arguments up with it). */
    public static final int HELP_COLUMN = 30;

    private Usage() {}

    /** The one line for a usage error: {@code myclient: unknown option '--x'; see myclient --help}. */
    public static String errorLine(String program, String message) {
        return program + ": " + message + "; see " + program + " --help";
    }

    /**
     * One line per option, in the table's order: {@code   -o, --output <path>     save as ...}.
     * Options without a short name are indented as if they had one, so that long names line up;
     * a help text may have several lines ({@code \n}), each starts at the help column.
     */
    public static String optionLines(List<Option> options) {
        StringBuilder lines = new StringBuilder();
        for (Option option : options) {
            String names = "  " + (option.shortName() == null ? "    " : option.shortName() + ", ") + option.name()
                    + (option.valueName() == null ? "" : " " + option.valueName());
            lines.append(names);
            // A name too wide for the column puts its help on the next line, where the column is.
            lines.append(names.length() + 2 > HELP_COLUMN ? "\n" + " ".repeat(HELP_COLUMN) : " ".repeat(HELP_COLUMN - names.length()));
            lines.append(option.help().replace("\n", "\n" + " ".repeat(HELP_COLUMN))).append('\n');
        }
        return lines.toString();
    }
}
