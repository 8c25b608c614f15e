package chunk.wire.cli;

import java.util.List;

/** The wording both programs share for usage errors and for their help. */
public final class Usage {

    /** Where the help text of an argument or an option starts. */
    static final int HELP_COLUMN = 30;

    /** The grammar both programs share, in one sentence for the help and the man page. */
    public static final String GRAMMAR = "Options may stand anywhere, also as --option=value; -- ends them.";

    /** What the man page adds to {@link #GRAMMAR}: the rules {@link Tokenizer} keeps. */
    public static final String GRAMMAR_DETAILS = """
            An option's value is the next argument, whatever it looks like (-o -). An unknown option, \
            a flag given a value (--quiet=no), an option's value given twice (which was meant cannot be \
            told; a flag given twice is harmless), or --quiet with --verbose is a usage error (exit 2), \
            said in one line that points at --help.""";

    /** How wide the help's own paragraphs are wrapped: a terminal of 80 columns shows them whole. */
    static final int WIDTH = 80;

    private Usage() {}

    /** The one line for a usage error: {@code myclient: unknown option '--x'; see myclient --help}. */
    public static String errorLine(String program, String message) {
        return program + ": " + message + "; see " + program + " --help";
    }

    /**
     * The text of {@code --help}: the synopsis, the about text, one line per argument and option
     * (their help, not the man page's details), the grammar, and the exit codes.
     */
    public static String help(Manual manual) {
        StringBuilder text = new StringBuilder();
        String usage = "Usage: ";
        for (String synopsis : manual.synopses()) {
            text.append(usage).append(manual.program()).append(' ').append(synopsis).append('\n');
            usage = " ".repeat(usage.length());
        }
        text.append('\n');
        text.append(wrap(manual.about(), 0)).append("\n\n");
        for (Manual.Argument argument : manual.arguments()) {
            text.append(line("      " + argument.name(), argument.help()));
        }
        text.append(optionLines(manual.options()));
        text.append('\n').append(GRAMMAR).append("\n\n");
        text.append("Exit codes:\n");
        for (Manual.ExitStatus status : manual.exitStatuses()) {
            String code = "  " + status.code();
            text.append(code).append(" ".repeat(EXIT_COLUMN - code.length()))
                    .append(wrap(status.meaning(), EXIT_COLUMN)).append('\n');
        }
        return text.toString();
    }

    private static final int EXIT_COLUMN = 7;

    /**
     * One line per option, in the table's order: {@code   -o, --output <path>     save as ...}.
     * Options without a short name are indented as if they had one, so that long names line up;
     * a help text may have several lines ({@code \n}), each starts at the help column.
     */
    static String optionLines(List<Option> options) {
        StringBuilder lines = new StringBuilder();
        for (Option option : options) {
            String names = "  " + (option.shortName() == null ? "    " : option.shortName() + ", ") + option.name()
                    + (option.valueName() == null ? "" : " " + option.valueName());
            lines.append(line(names, option.help()));
        }
        return lines.toString();
    }

    private static String line(String names, String help) {
        // A name too wide for the column puts its help on the next line, where the column is.
        return names + (names.length() + 2 > HELP_COLUMN ? "\n" + " ".repeat(HELP_COLUMN) : " ".repeat(HELP_COLUMN - names.length()))
                + help.replace("\n", "\n" + " ".repeat(HELP_COLUMN)) + '\n';
    }

    /** {@code text} in lines of at most {@link #WIDTH} columns, the ones after the first indented by {@code indent}. */
    static String wrap(String text, int indent) {
        StringBuilder out = new StringBuilder();
        int column = indent;
        for (String word : text.split(" ")) {
            if (column > indent && column + 1 + word.length() > WIDTH) {
                out.append('\n').append(" ".repeat(indent));
                column = indent;
            } else if (column > indent) {
                out.append(' ');
                column++;
            }
            out.append(word);
            column += word.length();
        }
        return out.toString();
    }
}
