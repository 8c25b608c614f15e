package chunk.deb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Debian package the build made (packaging/build-deb.sh), checked with the tools a Debian
 * system has: dpkg-deb for its contents and fields, man, bash, zsh, lintian, systemd-analyze,
 * and dpkg itself to install it into a scratch root and run what it installed. A test that needs
 * a tool that is not installed, or root, is skipped and says which.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DebianPackageTests {

    /** One entry of {@code dpkg-deb --contents}: {@code -rwxr-xr-x root/root 590 ... ./usr/lib/chunk/bin/myclient}. */
    record Entry(String mode, String owner, String path, String linkTarget) {}

    private static final Pattern CONTENTS_LINE =
            Pattern.compile("(\\S+) (\\S+) +\\d+ \\S+ \\S+ \\./(\\S*?)/?(?: -> (\\S+))?");

    private final String mavenVersion = System.getProperty("chunk.version", "1.0.0-SNAPSHOT");
    private Path deb;
    private Map<String, Entry> contents;
    /** The package's files, as dpkg-deb unpacks them. */
    private Path unpacked;

    @BeforeAll
    void findAndUnpackThePackage(@TempDir Path folderForAll) throws IOException {
        assumeThat(Run.installed("dpkg-deb")).as("dpkg-deb is not installed (Debian package dpkg): no package was built").isTrue();
        unpacked = folderForAll.resolve("unpacked");
        Path folder = Path.of(System.getProperty("chunk.deb.dir", "target"));
        try (Stream<Path> files = Files.list(folder)) {
            List<Path> debs = files.filter(file -> file.getFileName().toString().matches("chunk_.*\\.deb")).toList();
            assertThat(debs).as("the packages the build made in " + folder).hasSize(1);
            deb = debs.getFirst();
        }
        contents = new LinkedHashMap<>();
        for (String line : Run.command(List.of("dpkg-deb", "--contents", deb.toString())).outIfOk().lines().toList()) {
            Matcher entry = CONTENTS_LINE.matcher(line);
            assertThat(entry.matches()).as("a line of dpkg-deb --contents: " + line).isTrue();
            contents.put("/" + entry.group(3), new Entry(entry.group(1), entry.group(2), "/" + entry.group(3),
                    entry.group(4) == null ? "" : entry.group(4)));
        }
        Run.command(List.of("dpkg-deb", "-x", deb.toString(), unpacked.toString())).outIfOk();
    }

    private String field(String name) throws IOException {
        return Run.command(List.of("dpkg-deb", "--field", deb.toString(), name)).outIfOk().strip();
    }

    @Nested
    class Contents {

        @Test
        void theProgramsAreOnThePathAsLinksIntoTheImage() {
            assertThat(contents.get("/usr/bin/myclient")).extracting(Entry::mode, Entry::linkTarget)
                    .containsExactly("lrwxrwxrwx", "../lib/chunk/bin/myclient");
            assertThat(contents.get("/usr/bin/myserver")).extracting(Entry::mode, Entry::linkTarget)
                    .containsExactly("lrwxrwxrwx", "../lib/chunk/bin/myserver");
        }

        @Test
        void holdsTheImageTheManPagesTheCompletionsTheUnitAndTheDocuments() {
            assertThat(contents).containsKeys(
                    "/usr/lib/chunk/bin/java", "/usr/lib/chunk/lib/modules", "/usr/lib/chunk/lib/myclient.aot",
                    "/usr/lib/chunk/lib/server/libjvm.so", "/usr/lib/chunk/release",
                    "/usr/share/man/man1/myclient.1.gz", "/usr/share/man/man1/myserver.1.gz",
                    "/usr/share/bash-completion/completions/myclient", "/usr/share/bash-completion/completions/myserver",
                    "/usr/share/zsh/vendor-completions/_myclient", "/usr/share/zsh/vendor-completions/_myserver",
                    "/lib/systemd/system/myserver@.service", "/etc/chunk",
                    "/usr/share/doc/chunk/copyright", "/usr/share/doc/chunk/changelog.gz",
                    "/usr/share/doc/chunk/PROTOCOL.md", "/usr/share/doc/chunk/legal/java.base/LICENSE",
                    "/usr/share/lintian/overrides/chunk");
            assertThat(contents.get("/usr/lib/chunk/legal").linkTarget()).isEqualTo("../../share/doc/chunk/legal");
        }

        @Test
        void onlyTheProgramsAreExecutable() {
            Set<String> executables = new LinkedHashSet<>();
            contents.values().stream().filter(entry -> entry.mode().startsWith("-")).forEach(entry -> {
                assertThat(entry.mode()).as(entry.path()).isIn("-rw-r--r--", "-rwxr-xr-x");
                if (entry.mode().equals("-rwxr-xr-x")) {
                    executables.add(entry.path());
                }
            });
            assertThat(executables).containsExactlyInAnyOrder("/usr/lib/chunk/bin/java", "/usr/lib/chunk/bin/myclient",
                    "/usr/lib/chunk/bin/myserver", "/usr/lib/chunk/lib/jspawnhelper");
        }

        @Test
        void everythingBelongsToRootAndEveryFolderIsOpenToRead() {
            assertThat(contents.values()).allSatisfy(entry -> assertThat(entry.owner()).as(entry.path()).isEqualTo("root/root"));
            assertThat(contents.values().stream().filter(entry -> entry.mode().startsWith("d")))
                    .allSatisfy(entry -> assertThat(entry.mode()).as(entry.path()).isEqualTo("drwxr-xr-x"));
        }

        @Test
        void installsNothingOutsideItsOwnPlaces() {
            assertThat(contents.keySet()).allSatisfy(path -> assertThat(path).matches(
                    "/|/usr(/bin(/my(client|server))?|/lib(/chunk.*)?|/share(/(man|bash-completion|zsh|doc|lintian).*)?)?"
                            + "|/lib(/systemd(/system(/myserver@\\.service)?)?)?|/etc(/chunk)?"));
        }
    }

    @Nested
    class Control {

        @Test
        void namesThePackageItsVersionArchitectureAndMaintainer() throws IOException {
            assertThat(field("Package")).isEqualTo("chunk");
            // 1.0.0~SNAPSHOT sorts before 1.0.0, as a snapshot of it should.
            assertThat(field("Version")).isEqualTo(mavenVersion.replace('-', '~'));
            assertThat(field("Architecture")).isEqualTo(Run.command(List.of("dpkg", "--print-architecture")).outIfOk().strip());
            assertThat(field("Maintainer")).matches("[^<>]+ <[^@<>]+@[^@<>]+>");
            assertThat(field("Section")).isEqualTo("net");
            assertThat(field("Priority")).isEqualTo("optional");
            assertThat(deb.getFileName().toString())
                    .isEqualTo("chunk_" + field("Version") + "_" + field("Architecture") + ".deb");
        }

        @Test
        void describesItselfAndBothPrograms() throws IOException {
            String description = field("Description");
            assertThat(description.lines().findFirst().orElseThrow()).hasSizeLessThan(80);
            assertThat(description).contains("myclient", "myserver", "HTTP(S) mirrors", "/usr/lib/chunk");
        }

        @Test
        void statesItsInstalledSizeInKibibytes() throws IOException {
            long kib = Long.parseLong(field("Installed-Size"));
            long bytes;
            try (Stream<Path> files = Files.walk(unpacked)) {
                bytes = files.filter(Files::isRegularFile).mapToLong(DebianPackageTests::size).sum();
            }
            assertThat(kib * 1024).isBetween(bytes, bytes + 2 * 1024 * 1024);
        }

        @Test
        void dependsOnTheCLibraryAlone() throws IOException {
            assertThat(field("Depends")).isEqualTo("libc6 (>= 2.17)");
            assertThat(field("Pre-Depends") + field("Recommends")).isEmpty();
        }

        /** What the image's native code links to is the C library's, at versions libc6 (>= 2.17) has. */
        @Test
        void theDependencyCoversWhatTheNativeCodeNeeds() throws IOException {
            assumeThat(Run.installed("objdump")).as("objdump is not installed (Debian package binutils)").isTrue();
            Set<String> needed = new LinkedHashSet<>();
            Set<String> versions = new LinkedHashSet<>();
            Set<String> own = new LinkedHashSet<>();
            List<Path> elves = new ArrayList<>();
            try (Stream<Path> files = Files.walk(unpacked.resolve("usr/lib/chunk"))) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    if (isElf(file)) {
                        elves.add(file);
                        own.add(file.getFileName().toString());
                    }
                }
            }
            assertThat(elves).hasSizeGreaterThan(5);
            for (Path elf : elves) {
                String headers = Run.command(List.of("objdump", "-p", elf.toString())).outIfOk();
                Matcher library = Pattern.compile("NEEDED\\s+(\\S+)").matcher(headers);
                while (library.find()) {
                    needed.add(library.group(1));
                }
                Matcher version = Pattern.compile("GLIBC_(\\d+)\\.(\\d+)").matcher(headers);
                while (version.find()) {
                    versions.add(version.group(1) + "." + version.group(2));
                }
            }
            needed.removeAll(own);
            assertThat(needed).allSatisfy(library -> assertThat(library).matches("(libc|libm|libdl|libpthread|librt)\\.so\\.\\d|ld-linux-x86-64\\.so\\.2"));
            assertThat(versions).isNotEmpty().allSatisfy(version -> assertThat(Integer.parseInt(version.split("\\.")[0]) * 1000
                    + Integer.parseInt(version.split("\\.")[1])).isLessThanOrEqualTo(2017));
            for (String library : needed) {
                assertThat(Run.command(List.of("dpkg", "-S", "*/" + library)).out()).as(library).containsPattern("(?m)^libc6(:\\w+)?: ");
            }
        }

        @Test
        void listsTheChecksumOfEveryFile() throws IOException {
            Path control = Files.createDirectories(unpacked.resolveSibling(unpacked.getFileName() + "-control"));
            Run.command(List.of("dpkg-deb", "--control", deb.toString(), control.toString())).outIfOk();
            String sums = Files.readString(control.resolve("md5sums"));
            long files = contents.values().stream().filter(entry -> entry.mode().startsWith("-")).count();
            assertThat(sums.lines()).hasSize((int) files);
            assertThat(Run.command(List.of("md5sum", "--check", "--quiet", control.resolve("md5sums").toString()), Map.of(),
                    unpacked).outIfOk()).isEmpty();
        }
    }

    @Nested
    class ManPages {

        private Run.Result man(String program, List<String> options, String width) throws IOException {
            assumeThat(Run.installed("man")).as("man is not installed (Debian package man-db)").isTrue();
            List<String> command = new ArrayList<>(List.of("man"));
            command.addAll(options);
            command.addAll(List.of("-E", "UTF-8", "-l", unpacked.resolve("usr/share/man/man1/" + program + ".1.gz").toString()));
            return Run.command(command, Map.of("MANWIDTH", width, "LC_ALL", "C.UTF-8"), null);
        }

        @Test
        void renderWithoutAWarningAsLintianChecksThem() throws IOException {
            for (String program : List.of("myclient", "myserver")) {
                Run.Result shown = man(program, List.of("--warnings"), "80");
                assertThat(shown.err()).as(program).isEmpty();
                assertThat(shown.outIfOk()).contains("NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "EXIT STATUS", "FILES",
                        "ENVIRONMENT", "EXAMPLES", "SEE ALSO");
            }
        }

        /** Every option the installed program's --help names is in its installed man page. */
        @Test
        void nameEveryOptionTheInstalledProgramsHelpNames() throws IOException {
            for (String program : List.of("myclient", "myserver")) {
                String help = Run.command(List.of(unpacked.resolve("usr/lib/chunk/bin/" + program).toString(), "--help")).outIfOk();
                Set<String> options = new LinkedHashSet<>();
                Matcher option = Pattern.compile("(?m)^  (?:(-\\w), |    )(--[a-z0-9-]+)").matcher(help);
                while (option.find()) {
                    if (option.group(1) != null) {
                        options.add(option.group(1));
                    }
                    options.add(option.group(2));
                }
                assertThat(options).as(program + "'s options").hasSizeGreaterThan(10).contains("--help", "--version");
                String page = man(program, List.of("--no-hyphenation", "--no-justification"), "200").outIfOk();
                for (String name : options) {
                    assertThat(page).as(program).containsPattern("(?m)^ +(-\\w, )?" + Pattern.quote(name) + "\\b|, " + Pattern.quote(name) + "\\b");
                }
            }
        }
    }

    @Nested
    class Completions {

        /** What bash offers for the last word: the completion file sourced, its function called as bash would. */
        private List<String> bash(String... words) throws IOException {
            assumeThat(Run.installed("bash")).as("bash is not installed").isTrue();
            String script = """
                    source "$1" || exit 3
                    shift
                    COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
                    function=$(complete -p "$1" | sed -n 's/.* -F \\([^ ]*\\) .*/\\1/p')
                    [ -n "$function" ] || { echo "no completion for $1" >&2; exit 4; }
                    "$function" "$1" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
                    printf '%s\\n' "${COMPREPLY[@]}"
                    """;
            List<String> command = new ArrayList<>(List.of("bash", "--norc", "--noprofile", "-c", script, "complete",
                    unpacked.resolve("usr/share/bash-completion/completions/" + words[0]).toString()));
            command.addAll(List.of(words));
            return Run.command(command, Map.of(), unpacked).outIfOk().lines().filter(line -> !line.isEmpty()).sorted().toList();
        }

        @Test
        void bashCompletesMyclientVerToVersionAndVerbose() throws IOException {
            assertThat(bash("myclient", "--ver")).containsExactly("--verbose", "--version");
            assertThat(bash("myclient", "--vers")).containsExactly("--version");
        }

        @Test
        void bashCompletesTheServersFileAndTheOutputWithFilesAndTheRootWithFolders() throws IOException {
            assertThat(bash("myclient", "us")).containsExactly("usr");
            assertThat(bash("myclient", "--output", "us")).containsExactly("usr");
            assertThat(bash("myserver", "--ro")).containsExactly("--root");
            assertThat(bash("myserver", "--root", "")).contains("usr", "lib", "etc");
            assertThat(bash("myserver", "4000", "")).isEmpty();
        }

        /** bash-completion itself finds the file by the program's name when it is first completed. */
        @Test
        void bashCompletionLoadsItByTheProgramsName() throws IOException {
            Path loader = Path.of("/usr/share/bash-completion/bash_completion");
            assumeThat(loader).as("bash-completion is not installed (Debian package bash-completion)").exists();
            String script = """
                    source /usr/share/bash-completion/bash_completion
                    complete -p myclient 2>/dev/null && exit 5   # not loaded before it is asked for
                    __load_completion myclient
                    complete -p myclient
                    """;
            String out = Run.command(List.of("bash", "--norc", "--noprofile", "-c", script),
                    Map.of("BASH_COMPLETION_USER_DIR", unpacked.resolve("usr/share/bash-completion").toString()), unpacked)
                    .outIfOk();
            assertThat(out).contains("complete -F _chunk_myclient myclient");
        }

        @Test
        void theZshFunctionsAreValidZsh() throws IOException {
            assumeThat(Run.installed("zsh")).as("zsh is not installed (Debian package zsh)").isTrue();
            for (String program : List.of("myclient", "myserver")) {
                Path function = unpacked.resolve("usr/share/zsh/vendor-completions/_" + program);
                assertThat(Files.readString(function)).startsWith("#compdef " + program + "\n");
                Run.Result check = Run.command(List.of("zsh", "-n", function.toString()));
                assertThat(check.err()).isEmpty();
                assertThat(check.exitCode()).isZero();
            }
        }
    }

    @Nested
    class Lintian {

        /** Clean at every level lintian has; each finding not fixed is overridden with its reason (debian/lintian-overrides). */
        @Test
        void findsNothing() throws IOException {
            assumeThat(Run.installed("lintian")).as("lintian is not installed (Debian package lintian)").isTrue();
            Run.Result lintian = Run.command(List.of("lintian", "--fail-on", "error,warning,info,pedantic,experimental",
                    "--display-info", "--pedantic", "--display-experimental", deb.toString()));

            assertThat(lintian.out()).isEmpty();
            assertThat(lintian.err().lines().filter(line -> !line.startsWith("running with root privileges"))).isEmpty();
            assertThat(lintian.exitCode()).isZero();
        }
    }

    @Nested
    class Installed {

        @TempDir
        Path scratch;

        /**
         * Installs the package with dpkg into a scratch root (its own dpkg database, which knows the
         * C library this machine has), runs the programs it installed there, and purges it. The
         * machine's own root and package database are not touched.
         */
        @Test
        void intoAScratchRootRunsTheInstalledProgramsAndPurgesCleanly() throws Exception {
            assumeThat(Run.installed("dpkg")).as("dpkg is not installed").isTrue();
            assumeThat(Run.asRoot()).as("installing with dpkg --root needs root").isTrue();
            String hostBefore = Run.command(List.of("dpkg-query", "-W", "-f=${Status} ${Version}", "chunk")).out();
            Path root = scratchRoot();

            Run.command(List.of("dpkg", "--root=" + root, "--install", deb.toString())).outIfOk();
            assertThat(root.resolve("usr/bin/myclient")).isSymbolicLink().isExecutable();
            assertThat(Run.command(List.of(root.resolve("usr/bin/myclient").toString(), "--version")).outIfOk())
                    .isEqualTo("myclient " + mavenVersion + "\n");
            assertThat(Run.command(List.of(root.resolve("usr/bin/myserver").toString(), "--version")).outIfOk())
                    .isEqualTo("myserver " + mavenVersion + "\n");
            downloadsOverLoopback(root);

            Run.command(List.of("dpkg", "--root=" + root, "--purge", "chunk")).outIfOk();
            assertThat(root.resolve("usr/lib/chunk")).doesNotExist();
            assertThat(root.resolve("usr/bin/myclient")).doesNotExist();
            assertThat(root.resolve("etc/chunk")).doesNotExist();
            assertThat(Run.command(List.of("dpkg-query", "-W", "-f=${Status} ${Version}", "chunk")).out()).isEqualTo(hostBefore);
        }

        /** A root with an empty dpkg database but for this machine's libc6, the one dependency. */
        private Path scratchRoot() throws IOException {
            Path root = Files.createDirectories(scratch.resolve("root"));
            Path admin = Files.createDirectories(root.resolve("var/lib/dpkg"));
            Files.createDirectories(admin.resolve("info"));
            Files.createDirectories(admin.resolve("updates"));
            Files.writeString(admin.resolve("available"), "");
            Files.writeString(admin.resolve("status"), Run.command(List.of("dpkg-query", "--status", "libc6")).outIfOk() + "\n");
            return root;
        }

        private void downloadsOverLoopback(Path root) throws Exception {
            Path served = Files.createDirectories(scratch.resolve("served"));
            byte[] data = new byte[3 * 1024 * 1024 + 7];
            new Random(22).nextBytes(data);
            Files.write(served.resolve("data.bin"), data);
            ProcessBuilder serving = new ProcessBuilder(root.resolve("usr/bin/myserver").toString(), "0", "--bind", "127.0.0.1",
                    "--root", served.toString(), "--quiet").redirectErrorStream(true);
            // myserver keeps its digest trees under $XDG_CACHE_HOME: in the test's folder, not the tester's home.
            serving.environment().put("XDG_CACHE_HOME", scratch.resolve("xdg-cache").toString());
            Process server = serving.start();
            try {
                String line = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8)).readLine();
                Matcher listening = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+),").matcher(String.valueOf(line));
                assertThat(listening.find()).as("myserver's first line: " + line).isTrue();
                Path servers = Files.writeString(scratch.resolve("servers.txt"), "127.0.0.1 " + listening.group(1) + "\n");
                Path copy = scratch.resolve("copy.bin");

                Run.command(List.of(root.resolve("usr/bin/myclient").toString(), servers.toString(), "4", "data.bin",
                        "-o", copy.toString(), "--quiet")).outIfOk();

                assertThat(copy).hasBinaryContent(data);
            } finally {
                server.destroy();
                server.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Nested
    class Unit {

        @TempDir
        Path root;

        /**
         * systemd-analyze verify on an instance of the packaged unit, in a root made of the package's
         * files: the unit's syntax, that its program and its man page exist there. The root gets a
         * copy of this machine's units, which the unit's ordering refers to (network-online.target).
         */
        @Test
        void isCleanForSystemdAnalyzeVerify() throws IOException {
            assumeThat(Run.installed("systemd-analyze")).as("systemd-analyze is not installed (Debian package systemd)").isTrue();
            assumeThat(Path.of("/lib/systemd/system/multi-user.target")).as("this machine has no systemd units to order by").exists();
            Run.command(List.of("dpkg-deb", "-x", deb.toString(), root.toString())).outIfOk();
            Path units = Files.createDirectories(root.resolve("usr/lib/systemd/system"));
            Run.command(List.of("cp", "-a", "/lib/systemd/system/.", units.toString())).outIfOk();

            Run.Result verify = Run.command(List.of("systemd-analyze", "verify", "--root=" + root, "myserver@files.service"),
                    Map.of("MANPATH", root.resolve("usr/share/man").toString()), root);
            // Removed here: some of the copies are links to /dev/null (masked units), which JUnit warns of.
            Run.command(List.of("rm", "-rf", units.toString())).outIfOk();

            assertThat(verify.out() + verify.err()).isEmpty();
            assertThat(verify.exitCode()).isZero();
        }

        @Test
        void runsTheServerHardenedAsAUserOfItsOwn() throws IOException {
            String unit = Files.readString(unpacked.resolve("lib/systemd/system/myserver@.service"));
            assertThat(unit).contains("ExecStart=/usr/bin/myserver $MYSERVER_ARGS", "EnvironmentFile=/etc/chunk/%i.conf",
                    "DynamicUser=yes", "ProtectSystem=strict", "ProtectHome=yes", "PrivateTmp=yes", "NoNewPrivileges=yes",
                    "CapabilityBoundingSet=\n", "LimitNOFILE=16384", "Documentation=man:myserver(1)",
                    "CacheDirectory=chunk\n", "Environment=XDG_CACHE_HOME=%C\n");
        }
    }

    private static boolean isElf(Path file) throws IOException {
        try (var in = Files.newInputStream(file)) {
            byte[] magic = in.readNBytes(4);
            return magic.length == 4 && magic[0] == 0x7f && magic[1] == 'E' && magic[2] == 'L' && magic[3] == 'F';
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
