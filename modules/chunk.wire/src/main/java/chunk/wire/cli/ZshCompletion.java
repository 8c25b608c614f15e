package chunk.wire.cli;

import java.util.List;

/**
 * A {@link Manual} as a zsh completion function (a file {@code _<program>} on the
 * {@code fpath}, such as {@code /usr/share/zsh/vendor-completions/}), one {@code _arguments}
 * call: every option with its help line as the description and its value's {@link Completion},
 * {@code --help} and {@code --version} alone on a line, and the positional arguments by position.
 */
public final class ZshCompletion {

    private ZshCompletion() {}

    /** The function's file. */
    public static String of(Manual manual) {
        StringBuilder specs = new StringBuilder();
        for (Option option : manual.options()) {
            specs.append("  ").append(spec(option)).append(" \\\n");
        }
        List<Manual.Argument> arguments = manual.arguments();
        for (int i = 0; i < arguments.size(); i++) {
            Manual.Argument argument = arguments.get(i);
            String position = argument.repeats() ? "*" : Integer.toString(i + 1);
            specs.append("  ").append(quote(position + ":" + message(argument.bareName()) + ":" + action(argument.completion())))
                    .append(" \\\n");
            if (argument.repeats()) {
                break;
            }
        }
        return "#compdef " + manual.program() + "\n"
                + "# zsh completion for " + manual.program() + "(1): made by chunk.wire.cli.ZshCompletion from the program's\n"
                + "# own option table (the one its --help and man page come from); do not edit.\n"
                + "_arguments -S \\\n" + specs.substring(0, specs.length() - " \\\n".length()) + "\n";
    }

    /**
     * {@code '(-o --output)'{-o,--output=}'[save as ...]:path:_files'}: the names exclude each other
     * ({@code --help} and {@code --version} exclude everything); {@code --output=} takes its value
     * after {@code =} or as the next word, as the program does, a short name as the next word.
     */
    private static String spec(Option option) {
        boolean alone = option == Option.HELP || option == Option.VERSION;
        String suffix = "[" + description(option.help()) + "]";
        if (option.takesValue()) {
            String valueName = String.valueOf(option.valueName()).replaceAll("^<|>$", "");
            suffix += ":" + message(valueName) + ":" + action(option.completion());
        }
        if (option.shortName() == null) {
            return quote((alone ? "(- *)" : "") + option.name() + (option.takesValue() ? "=" : "") + suffix);
        }
        String exclusion = alone ? "(- *)" : "(" + option.shortName() + " " + option.name() + ")";
        return quote(exclusion) + "{" + option.shortName() + "," + option.name() + (option.takesValue() ? "=" : "") + "}"
                + quote(suffix);
    }

    /** The help's first line, with what _arguments would read as the description's end quoted. */
    private static String description(String help) {
        String first = help.lines().findFirst().orElse("");
        return first.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]");
    }

    /** A value's message: no colon, which would end it. */
    private static String message(String text) {
        return text.replace("\\", "\\\\").replace(":", "\\:");
    }

    private static String action(Completion completion) {
        return switch (completion) {
            case Completion.Nothing _ -> " ";
            case Completion.Files _ -> "_files";
            case Completion.Folders _ -> "_files -/";
            case Completion.OneOf oneOf -> "(" + String.join(" ", oneOf.words()) + ")";
        };
    }

    /** {@code text} in single quotes, for the shell. */
    private static String quote(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }
}
