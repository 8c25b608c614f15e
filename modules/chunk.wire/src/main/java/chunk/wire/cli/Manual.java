package chunk.wire.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Everything a program's manual says, as values: its {@code --help} ({@link Usage#help}), its
 * man page ({@link ManPage}) and its shell completions ({@link BashCompletion},
 * {@link ZshCompletion}) are all made from one of these, so that they cannot disagree on an
 * option, a default or an exit code. Made with {@link #builder}.
 *
 * @param program the command's name, {@code myserver}
 * @param summary what the NAME section says after the dash: a lowercase phrase without a full stop
 * @param synopses how it is called, after its name ({@code <port> [options]}): one line each way
 * @param about one or two sentences: the start of {@code --help} and of the man page's DESCRIPTION
 * @param description the rest of DESCRIPTION: topics, each a subsection of the man page (not in the help)
 * @param arguments the positional arguments, in order
 * @param options every option, in the order of the help
 * @param exitStatuses every exit code and what it means
 * @param files FILES: paths the program reads or writes, and what for
 * @param environment ENVIRONMENT: variables that change what it does
 * @param examples EXAMPLES: commands, each with what it does
 * @param seeAlso SEE ALSO: other pages ({@code myclient(1)}) and documents
 */
public record Manual(
        String program,
        String summary,
        List<String> synopses,
        String about,
        List<Topic> description,
        List<Argument> arguments,
        List<Option> options,
        List<ExitStatus> exitStatuses,
        List<Entry> files,
        List<Entry> environment,
        List<Example> examples,
        List<String> seeAlso) {

    public Manual {
        Objects.requireNonNull(program);
        Objects.requireNonNull(summary);
        synopses = List.copyOf(synopses);
        Objects.requireNonNull(about);
        description = List.copyOf(description);
        arguments = List.copyOf(arguments);
        options = List.copyOf(options);
        exitStatuses = List.copyOf(exitStatuses);
        files = List.copyOf(files);
        environment = List.copyOf(environment);
        examples = List.copyOf(examples);
        seeAlso = List.copyOf(seeAlso);
    }

    /** A manual for {@code program}, to be filled in by name. */
    public static Builder builder(String program) {
        return new Builder(program);
    }

    /**
     * A positional argument.
     *
     * @param name as the help shows it: {@code <port>}, or {@code [file-name...]} for one that
     *     may be left out or repeated (a name ending in {@code ...} stands for all further arguments)
     * @param help its line in {@code --help}
     * @param details what the man page adds to that line, or empty
     * @param completion what a shell offers for it
     */
    public record Argument(String name, String help, String details, Completion completion) {

        public Argument {
            Objects.requireNonNull(name);
            Objects.requireNonNull(help);
            Objects.requireNonNull(details);
            Objects.requireNonNull(completion);
        }

        /** The name without its brackets and dots: {@code port}, {@code file-name}. */
        public String bareName() {
            return name.replace("...", "").replaceAll("[<>\\[\\]]", "");
        }

        /** Whether this argument stands for every argument from here on ({@code [file-name...]}). */
        public boolean repeats() {
            return name.contains("...");
        }
    }

    /** An exit code and what it means: {@code 2}, {@code usage error}. */
    public record ExitStatus(int code, String meaning) {

        public ExitStatus {
            if (code < 0 || code > 255) {
                throw new IllegalArgumentException("an exit code is 0 to 255, not " + code);
            }
            Objects.requireNonNull(meaning);
        }
    }

    /** A file or an environment variable, and what it does. */
    public record Entry(String name, String meaning) {

        public Entry {
            Objects.requireNonNull(name);
            Objects.requireNonNull(meaning);
        }
    }

    /**
     * A command of the EXAMPLES section.
     *
     * @param explanation what it does, said before it
     * @param command one or more lines, as typed
     */
    public record Example(String explanation, String command) {

        public Example {
            Objects.requireNonNull(explanation);
            Objects.requireNonNull(command);
        }
    }

    /** A subsection of DESCRIPTION: a heading and what stands under it. */
    public record Topic(String heading, List<Block> blocks) {

        public Topic {
            Objects.requireNonNull(heading);
            blocks = List.copyOf(blocks);
        }

        /** A topic of these blocks. */
        public static Topic of(String heading, Block... blocks) {
            return new Topic(heading, List.of(blocks));
        }
    }

    /** A part of a topic. */
    public sealed interface Block {

        /**
         * A paragraph, filled by the reader: the lines of a text block become one line, so that
         * sources may wrap where they like.
         */
        static Block text(String text) {
            return new Paragraph(text.strip().replaceAll("\\s+", " "));
        }

        /** Lines shown as they are (a log line, a message, a table). */
        static Block verbatim(String text) {
            return new Verbatim(text.stripTrailing());
        }

        /** A list of words, each with what it means. */
        static Block terms(List<Term> terms) {
            return new Terms(terms);
        }
    }

    /** See {@link Block#text}. */
    public record Paragraph(String text) implements Block {}

    /** See {@link Block#verbatim}. */
    public record Verbatim(String text) implements Block {}

    /** See {@link Block#terms}. */
    public record Terms(List<Term> terms) implements Block {

        public Terms {
            terms = List.copyOf(terms);
        }
    }

    /** A word of a list, and what it means (the lines of a text block become one line). */
    public record Term(String term, String meaning) {

        public Term {
            Objects.requireNonNull(term);
            meaning = meaning.strip().replaceAll("\\s+", " ");
        }
    }

    /** Fills in a {@link Manual} by name; everything but the program's name, summary, synopsis and about may stay empty. */
    public static final class Builder {

        private final String program;
        private String summary = "";
        private final List<String> synopses = new ArrayList<>();
        private String about = "";
        private final List<Topic> description = new ArrayList<>();
        private final List<Argument> arguments = new ArrayList<>();
        private final List<Option> options = new ArrayList<>();
        private final List<ExitStatus> exitStatuses = new ArrayList<>();
        private final List<Entry> files = new ArrayList<>();
        private final List<Entry> environment = new ArrayList<>();
        private final List<Example> examples = new ArrayList<>();
        private final List<String> seeAlso = new ArrayList<>();

        private Builder(String program) {
            this.program = program;
        }

        /** See {@link Manual#summary()}. */
        public Builder summary(String text) {
            summary = text;
            return this;
        }

        /** One way to call it, after its name; see {@link Manual#synopses()}. */
        public Builder synopsis(String text) {
            synopses.add(text);
            return this;
        }

        /** See {@link Manual#about()}; lines are joined into one paragraph. */
        public Builder about(String text) {
            about = text.strip().replaceAll("\\s+", " ");
            return this;
        }

        /** Adds a subsection to DESCRIPTION. */
        public Builder topic(String heading, Block... blocks) {
            description.add(Topic.of(heading, blocks));
            return this;
        }

        /** Adds a positional argument. */
        public Builder argument(String name, String help, String details, Completion completion) {
            arguments.add(new Argument(name, help, details, completion));
            return this;
        }

        /** Sets the options, in the order of the help. */
        public Builder options(List<Option> table) {
            options.clear();
            options.addAll(table);
            return this;
        }

        /** Adds an exit code. */
        public Builder exitStatus(int code, String meaning) {
            exitStatuses.add(new ExitStatus(code, meaning));
            return this;
        }

        /** Adds a path to FILES. */
        public Builder file(String path, String meaning) {
            files.add(new Entry(path, meaning));
            return this;
        }

        /** Adds a variable to ENVIRONMENT. */
        public Builder environment(String variable, String meaning) {
            environment.add(new Entry(variable, meaning));
            return this;
        }

        /** Adds an example. */
        public Builder example(String explanation, String command) {
            examples.add(new Example(explanation, command));
            return this;
        }

        /** Adds references to SEE ALSO. */
        public Builder seeAlso(String... references) {
            seeAlso.addAll(List.of(references));
            return this;
        }

        /** The manual; the program's name, summary, synopsis and about must have been given. */
        public Manual build() {
            if (summary.isEmpty() || synopses.isEmpty() || about.isEmpty()) {
                throw new IllegalStateException(program + "'s manual needs a summary, a synopsis and an about text");
            }
            return new Manual(program, summary, synopses, about, description, arguments, options, exitStatuses,
                    files, environment, examples, seeAlso);
        }
    }
}
