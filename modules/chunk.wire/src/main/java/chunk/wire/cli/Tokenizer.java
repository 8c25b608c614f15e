package chunk.wire.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The one option grammar of {@code myclient} and {@code myserver}:
 * <ul>
 * <li>options may stand before, between or after the positional arguments; {@code --} ends them;
 * <li>{@code --name value} and {@code --name=value} for an option that takes a value, {@code -x value}
 *     for its short name; the value is the next argument whatever it looks like ({@code -o -});
 * <li>a flag given a value ({@code --quiet=no}) is an error, as is an unknown option;
 * <li>{@code -} and arguments that look like negative numbers ({@code -1}) are positional, so that
 *     they get the message of the argument they stand for;
 * <li>{@link Option#HELP} or {@link Option#VERSION} ends the parsing where it stands: what follows is
 *     not looked at;
 * <li>an option that takes a value may be given once: twice is an error, since which of the two
 *     the user meant cannot be told (a flag given twice is the same flag), unless it is
 *     {@linkplain Option#repeatable() repeatable}: then every value is kept, in order;
 * <li>{@code --quiet} and {@code --verbose} together are an error ({@link Arguments#verbosity()}).
 * </ul>
 */
public final class Tokenizer {

    private Tokenizer() {}

    /** What the arguments said, before the program reads the values. */
    public record Arguments(Map<String, String> values, Map<String, List<String>> repeated, List<String> positional,
            Optional<Option> stoppedAt) {

        public Arguments {
            values = Map.copyOf(values);
            Map<String, List<String>> copied = new HashMap<>();
            repeated.forEach((name, given) -> copied.put(name, List.copyOf(given)));
            repeated = Map.copyOf(copied);
            positional = List.copyOf(positional);
        }

        /** Every value given for a {@linkplain Option#repeatable() repeatable} option, in order; empty if none. */
        public List<String> every(Option option) {
            return repeated.getOrDefault(option.name(), List.of());
        }

        /** Whether {@code option} was given (a flag, or an option with its value). */
        public boolean has(Option option) {
            return values.containsKey(option.name());
        }

        /** The value given for {@code option}, if it was given. */
        public Optional<String> value(Option option) {
            return Optional.ofNullable(values.get(option.name()));
        }

        /** Whether the parsing stopped at {@code option} ({@link Option#HELP}, {@link Option#VERSION}). */
        public boolean stoppedAt(Option option) {
            // Identity: the table's options are constants, and a record's equals costs its bootstrap at start-up.
            return stoppedAt.isPresent() && stoppedAt.get() == option;
        }

        /**
         * {@code --quiet}, {@code --verbose} or neither.
         *
         * @throws UsageException if both were given
         */
        public Verbosity verbosity() throws UsageException {
            boolean quiet = values.containsKey("--quiet");
            boolean verbose = values.containsKey("--verbose");
            if (quiet && verbose) {
                throw new UsageException("--quiet and --verbose cannot be used together; choose one");
            }
            return quiet ? Verbosity.QUIET : verbose ? Verbosity.VERBOSE : Verbosity.NORMAL;
        }
    }

    /**
     * Splits {@code args} into options (by the table {@code options}) and positional arguments.
     *
     * @throws UsageException for an unknown option, a flag with a value, a missing value, or a
     *     value given twice
     */
    public static Arguments tokenize(List<Option> options, List<String> args) throws UsageException {
        Map<String, String> values = new HashMap<>();
        Map<String, List<String>> repeated = new HashMap<>();
        List<String> positional = new ArrayList<>();
        boolean onlyPositional = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (onlyPositional || !isOption(arg)) {
                positional.add(arg);
                continue;
            }
            if (arg.equals("--")) {
                onlyPositional = true;
                continue;
            }
            int equals = arg.startsWith("--") ? arg.indexOf('=') : -1;
            String typed = equals > 0 ? arg.substring(0, equals) : arg;
            Option option = find(options, typed);
            if (option == null) {
                throw new UsageException("unknown option '" + arg + "'");
            }
            String value;
            if (!option.takesValue()) {
                if (equals > 0) {
                    throw new UsageException(typed + " takes no value");
                }
                value = "";
            } else if (equals > 0) {
                value = arg.substring(equals + 1);
            } else if (i + 1 < args.size()) {
                value = args.get(++i);
            } else {
                throw new UsageException(typed + " needs a value");
            }
            if (option.repeatable()) {
                repeated.computeIfAbsent(option.name(), _ -> new ArrayList<>()).add(value);
            } else if (option.takesValue() && values.containsKey(option.name())) {
                throw new UsageException(option.name() + " given twice; give it once");
            }
            values.put(option.name(), value);
            if (option == Option.HELP || option == Option.VERSION) {
                return new Arguments(values, repeated, positional, Optional.of(option));
            }
        }
        return new Arguments(values, repeated, positional, Optional.empty());
    }

    private static boolean isOption(String arg) {
        return arg.length() > 1 && arg.charAt(0) == '-' && !Character.isDigit(arg.charAt(1));
    }

    private static @Nullable Option find(List<Option> options, String typed) {
        for (Option option : options) {
            if (typed.equals(option.name()) || typed.equals(option.shortName())) {
                return option;
            }
        }
        return null;
    }
}
