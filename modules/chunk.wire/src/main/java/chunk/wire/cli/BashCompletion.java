package chunk.wire.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@link Manual} as a bash completion script (for {@code /usr/share/bash-completion/completions/}),
 * which offers the table's option names after a {@code -}, an option's values where it names a
 * {@link Completion}, and each positional argument's values by its position, counted as
 * {@link Tokenizer} counts them (an option's value is not a positional argument; after {@code --}
 * every word is one). It needs nothing from the bash-completion package.
 */
public final class BashCompletion {

    private BashCompletion() {}

    /** The script: defines {@code _chunk_<program>} and registers it with {@code complete}. */
    public static String of(Manual manual) {
        String function = "_chunk_" + manual.program().replaceAll("[^A-Za-z0-9_]", "_");
        List<String> valued = new ArrayList<>();
        List<String> names = new ArrayList<>();
        StringBuilder valueCases = new StringBuilder();
        for (Option option : manual.options()) {
            String patterns = option.shortName() == null ? option.name() : option.shortName() + "|" + option.name();
            names.addAll(option.shortName() == null ? List.of(option.name()) : List.of(option.shortName(), option.name()));
            if (option.takesValue()) {
                valued.add(patterns);
                valueCases.append("        ").append(patterns).append(") ").append(offer(option.completion())).append(" return ;;\n");
            }
        }
        StringBuilder positionalCases = new StringBuilder();
        boolean lastRepeats = false;
        List<Manual.Argument> arguments = manual.arguments();
        for (int i = 0; i < arguments.size(); i++) {
            Manual.Argument argument = arguments.get(i);
            // An argument that repeats takes every position from its own on.
            String position = argument.repeats() ? "*" : Integer.toString(i);
            positionalCases.append("        ").append(position).append(") ").append(offer(argument.completion()))
                    .append(" ;; # ").append(argument.name()).append('\n');
            lastRepeats = argument.repeats();
            if (lastRepeats) {
                break;
            }
        }
        if (!lastRepeats) {
            positionalCases.append("        *) COMPREPLY=() ;;\n");
        }
        return """
            # bash completion for %1$s(1): made by chunk.wire.cli.BashCompletion from the program's
            # own option table (the one its --help and man page come from); do not edit.
            %2$s() {
                local cur=${COMP_WORDS[COMP_CWORD]} option= word i positional=0 only_positional=
                # bash splits --option=value at '=' (COMP_WORDBREAKS): the option is then two words back.
                if [[ $cur == = ]]; then
                    option=${COMP_WORDS[COMP_CWORD-1]} cur=
                elif ((COMP_CWORD > 1)) && [[ ${COMP_WORDS[COMP_CWORD-1]} == = ]]; then
                    option=${COMP_WORDS[COMP_CWORD-2]}
                elif ((COMP_CWORD > 0)); then
                    option=${COMP_WORDS[COMP_CWORD-1]}
                fi
                # The word after an option that takes a value is that value.
                case $option in
            %3$s    esac
                # Count the positional arguments before this word as the program does: an option's
                # value is not one, '-' and negative numbers are, and after '--' every word is.
                for ((i = 1; i < COMP_CWORD; i++)); do
                    word=${COMP_WORDS[i]}
                    if [[ -n $only_positional ]]; then ((positional++)); continue; fi
                    case $word in
                        --) only_positional=1 ;;
                        %4$s) [[ ${COMP_WORDS[i+1]-} == = ]] && ((i++)); ((i++)) ;;
                        -[!0-9]*) ;;
                        *) ((positional++)) ;;
                    esac
                done
                if [[ -z $only_positional && $cur == -* ]]; then
                    mapfile -t COMPREPLY < <(compgen -W '%5$s' -- "$cur")
                    return
                fi
                case $positional in
            %6$s    esac
            }
            complete -F %2$s %1$s
            """.formatted(manual.program(), function, valueCases, valued.isEmpty() ? "--no-such-option--" : String.join("|", valued),
                String.join(" ", names), positionalCases);
    }

    /** The commands that fill {@code COMPREPLY} for a value of this kind, ending in {@code ;}. */
    private static String offer(Completion completion) {
        return switch (completion) {
            case Completion.Nothing _ -> "COMPREPLY=();";
            case Completion.Files _ -> "compopt -o filenames 2>/dev/null; mapfile -t COMPREPLY < <(compgen -f -- \"$cur\");";
            case Completion.Folders _ -> "compopt -o filenames 2>/dev/null; mapfile -t COMPREPLY < <(compgen -d -- \"$cur\");";
            case Completion.OneOf oneOf -> "mapfile -t COMPREPLY < <(compgen -W '" + String.join(" ", oneOf.words()) + "' -- \"$cur\");";
        };
    }
}
