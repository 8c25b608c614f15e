package chunk.wire.cli;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@link Manual} as a man page in section 1, in the {@code man(7)} macros that every
 * {@code man} reads: NAME, SYNOPSIS, DESCRIPTION, OPTIONS, EXIT STATUS, FILES, ENVIRONMENT,
 * EXAMPLES, SEE ALSO (a section with nothing to say is left out).
 *
 * <p>Text is plain in the manual and marked up here: an option of the table becomes bold, a
 * {@code <name>} italic, a minus sign is written {@code \-} (a hyphen in a word stays one, so
 * that a search for {@code --output} finds it and a copied command works), a backslash
 * {@code \e}, a line that would start with a control character is guarded with {@code \&},
 * and every character beyond ASCII is written as {@code \[uXXXX]}, so that the page needs no
 * encoding of its own.
 */
public final class ManPage {

    /** {@code <name>} in text: an argument's or a placeholder's name, set in italics. */
    private static final Pattern PLACEHOLDER = Pattern.compile("<([A-Za-z][A-Za-z0-9_-]*)>");
    /** A word that looks like an option: a minus or two, then a letter. */
    private static final Pattern OPTION_LIKE = Pattern.compile("(?<![A-Za-z0-9_-])(--?[A-Za-z][A-Za-z0-9-]*)");

    private final Manual manual;
    private final Set<String> optionNames = new LinkedHashSet<>();
    private final StringBuilder out = new StringBuilder();

    private ManPage(Manual manual) {
        this.manual = manual;
        for (Option option : manual.options()) {
            optionNames.add(option.name());
            if (option.shortName() != null) {
                optionNames.add(option.shortName());
            }
        }
    }

    /**
     * The man page of {@code manual}.
     *
     * @param version what the footer names, {@code chunk 1.0.0}
     * @param date the date the footer shows, {@code 2026-12-01}: the build's, so that a rebuild
     *     of the same sources makes the same page
     */
    public static String of(Manual manual, String version, String date) {
        return new ManPage(manual).write(version, date);
    }

    private String write(String version, String date) {
        request(".\\\" " + manual.program() + "(1): made by chunk.wire.cli.ManPage from the program's own option table; do not edit.");
        request(".TH " + manual.program().toUpperCase(Locale.ROOT) + " 1 " + quoted(date) + " " + quoted(version)
                + " \"User Commands\"");
        section("NAME");
        text(escape(manual.program()) + " \\- " + escape(manual.summary()));
        section("SYNOPSIS");
        for (int i = 0; i < manual.synopses().size(); i++) {
            if (i > 0) {
                request(".br");
            }
            request(".B " + escape(manual.program()));
            text(markup(manual.synopses().get(i).replace("[options]", "[<options>]")));
        }
        description();
        options();
        exitStatuses();
        entries("FILES", manual.files());
        entries("ENVIRONMENT", manual.environment());
        examples();
        seeAlso();
        return out.toString();
    }

    private void description() {
        section("DESCRIPTION");
        paragraph(manual.about());
        for (Manual.Topic topic : manual.description()) {
            request(".SS " + quoted(topic.heading()));
            topic.blocks().forEach(this::block);
        }
    }

    private void options() {
        if (manual.arguments().isEmpty() && manual.options().isEmpty()) {
            return;
        }
        section("OPTIONS");
        paragraph(Usage.GRAMMAR);
        paragraph(Usage.GRAMMAR_DETAILS);
        for (Manual.Argument argument : manual.arguments()) {
            request(".TP");
            text("\\fI" + escape(argument.bareName()) + "\\fR" + (argument.repeats() ? ".\\|.\\|." : ""));
            entry(argument.help(), argument.details());
        }
        for (Option option : manual.options()) {
            request(".TP");
            text(names(option));
            entry(option.help(), option.details());
        }
    }

    private void exitStatuses() {
        if (manual.exitStatuses().isEmpty()) {
            return;
        }
        section("EXIT STATUS");
        for (Manual.ExitStatus status : manual.exitStatuses()) {
            request(".TP");
            request(".B " + status.code());
            text(markup(status.meaning()));
        }
    }

    private void examples() {
        if (manual.examples().isEmpty()) {
            return;
        }
        section("EXAMPLES");
        for (Manual.Example example : manual.examples()) {
            paragraph(example.explanation());
            verbatim(example.command());
        }
    }

    private void seeAlso() {
        if (manual.seeAlso().isEmpty()) {
            return;
        }
        section("SEE ALSO");
        List<String> references = manual.seeAlso();
        for (int i = 0; i < references.size(); i++) {
            text(reference(references.get(i)) + (i < references.size() - 1 ? "," : ""));
        }
    }

    private void section(String name) {
        request(".SH " + quoted(name));
    }

    /** An option's or an argument's paragraphs, after its {@code .TP} tag: the help line, then the details. */
    private void entry(String help, String details) {
        text(markup(help.replace('\n', ' ')));
        if (!details.isBlank()) {
            for (String paragraph : details.strip().split("\n\\s*\n")) {
                request(".IP");
                text(markup(paragraph.strip().replaceAll("\\s+", " ")));
            }
        }
    }

    private void entries(String section, List<Manual.Entry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        section(section);
        for (Manual.Entry entry : entries) {
            request(".TP");
            text(markup(entry.name()));
            text(markup(entry.meaning()));
        }
    }

    private void block(Manual.Block block) {
        switch (block) {
            case Manual.Paragraph paragraph -> paragraph(paragraph.text());
            case Manual.Verbatim verbatim -> verbatim(verbatim.text());
            case Manual.Terms terms -> {
                for (Manual.Term term : terms.terms()) {
                    request(".TP");
                    text(markup(term.term()));
                    text(markup(term.meaning()));
                }
            }
        }
    }

    /** A paragraph of its own, filled by the reader. */
    private void paragraph(String text) {
        request(".PP");
        text(markup(text));
    }

    /** Lines as they are, indented and not filled. */
    private void verbatim(String text) {
        request(".PP");
        request(".RS 4");
        request(".nf");
        for (String verbatimLine : text.split("\n", -1)) {
            text(escape(verbatimLine));
        }
        request(".fi");
        request(".RE");
    }

    /** {@code \fB\-o\fR, \fB\-\-output\fR \fIpath\fR}. */
    private static String names(Option option) {
        String names = (option.shortName() == null ? "" : bold(option.shortName()) + ", ") + bold(option.name());
        if (option.valueName() != null) {
            names += " \\fI" + escape(option.valueName().replaceAll("^<|>$", "")) + "\\fR";
        }
        return names;
    }

    /** An option's name in bold, every {@code -} in it a minus sign, so that no line breaks inside it. */
    private static String bold(String optionName) {
        return "\\fB" + escape(optionName).replaceAll("(?<!\\\\)-", Matcher.quoteReplacement("\\-")) + "\\fR";
    }

    /** {@code myclient(1)} as {@code .BR myclient (1)}; anything else as it is. */
    private static String reference(String reference) {
        Matcher page = Pattern.compile("([A-Za-z0-9_.-]+)\\(([0-9][a-z]*)\\)").matcher(reference);
        return page.matches() ? "\\fB" + escape(page.group(1)) + "\\fR(" + page.group(2) + ")" : escape(reference);
    }

    /** Escaped text with the table's options in bold and {@code <name>}s in italics. */
    private String markup(String text) {
        StringBuilder marked = new StringBuilder();
        Matcher placeholders = PLACEHOLDER.matcher(text);
        int at = 0;
        while (placeholders.find()) {
            marked.append(markOptions(text.substring(at, placeholders.start())));
            marked.append("\\fI").append(escape(placeholders.group(1))).append("\\fR");
            at = placeholders.end();
        }
        return marked.append(markOptions(text.substring(at))).toString();
    }

    private String markOptions(String text) {
        StringBuilder marked = new StringBuilder();
        Matcher options = OPTION_LIKE.matcher(text);
        int at = 0;
        while (options.find()) {
            marked.append(escape(text.substring(at, options.start())));
            String word = options.group(1);
            marked.append(optionNames.contains(word) ? bold(word) : escape(word));
            at = options.end();
        }
        return marked.append(escape(text.substring(at))).toString();
    }

    /**
     * Text safe for roff: a backslash as {@code \e}, a minus sign (a {@code -} that does not follow a
     * letter or digit: {@code --output}, {@code -o -}) as {@code \-}, non-ASCII as {@code \[uXXXX]}.
     */
    static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            if (c == '\\') {
                escaped.append("\\e");
            } else if (c == '-') {
                char before = i == 0 ? ' ' : text.charAt(i - 1);
                escaped.append(Character.isLetterOrDigit(before) ? "-" : "\\-");
            } else if (c > 126 || c < 32 && c != '\t') {
                escaped.append(String.format(Locale.ROOT, "\\[u%04X]", c));
            } else {
                escaped.append((char) c);
            }
            i += Character.charCount(c);
        }
        return escaped.toString();
    }

    /** An argument of a macro, in double quotes (roff has no way to put one inside: none is expected). */
    private static String quoted(String text) {
        if (text.indexOf('"') >= 0) {
            throw new IllegalArgumentException("a man page heading cannot hold a double quote: " + text);
        }
        return "\"" + escape(text) + "\"";
    }

    /** Appends a request ({@code .TP}, {@code .SH "NAME"}) or a comment: a line of this class's own. */
    private void request(String request) {
        out.append(request).append('\n');
    }

    /** Appends a line of text, guarded with {@code \&} if it would otherwise start with a control character. */
    private void text(String text) {
        if (text.startsWith(".") || text.startsWith("'")) {
            out.append("\\&");
        }
        out.append(text).append('\n');
    }
}
