package chunk.wire.cli;

import java.util.List;

/**
 * What a shell may offer for an option's value or a positional argument: nothing (a number, a
 * host, a name on the servers), the names of files, of folders, or one word of a closed set.
 * The bash and zsh completions ({@link BashCompletion}, {@link ZshCompletion}) are made from it.
 */
public sealed interface Completion {

    /** Nothing to offer: the value is typed (a number, an address, a remote file's name). */
    Completion NOTHING = new Nothing();
    /** The names of files (and of folders, to walk into). */
    Completion FILES = new Files();
    /** The names of folders. */
    Completion FOLDERS = new Folders();

    /** One of these words. */
    static Completion oneOf(String... words) {
        return new OneOf(List.of(words));
    }

    /** See {@link #NOTHING}. */
    record Nothing() implements Completion {}

    /** See {@link #FILES}. */
    record Files() implements Completion {}

    /** See {@link #FOLDERS}. */
    record Folders() implements Completion {}

    /** One of a closed set of words, none empty or with a space (a shell would split it). */
    record OneOf(List<String> words) implements Completion {

        public OneOf {
            words = List.copyOf(words);
            if (words.isEmpty()) {
                throw new IllegalArgumentException("a closed set of values needs at least one word");
            }
            for (String word : words) {
                if (word.isEmpty() || !word.chars().allMatch(c -> Character.isLetterOrDigit(c) || "-_.+".indexOf(c) >= 0)) {
                    throw new IllegalArgumentException("a completion word is letters, digits and -_.+, not '" + word + "'");
                }
            }
        }
    }
}
