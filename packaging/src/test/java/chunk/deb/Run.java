package chunk.deb;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs the tools a Debian system checks a package with, as processes, each within a deadline. */
final class Run {

    /** What a program printed, and how it ended. */
    record Result(int exitCode, String out, String err) {

        /** Standard output, or a failed assertion that shows what went wrong. */
        String outIfOk() {
            if (exitCode != 0) {
                throw new AssertionError("exit code " + exitCode + ": " + err + out);
            }
            return out;
        }
    }

    private Run() {}

    /** Whether {@code name} is a program on the PATH (or in /usr/sbin, where dpkg keeps some). */
    static boolean installed(String name) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin") + File.pathSeparator + "/usr/sbin:/sbin";
        for (String folder : path.split(File.pathSeparator)) {
            if (!folder.isEmpty() && Files.isExecutable(Path.of(folder, name))) {
                return true;
            }
        }
        return false;
    }

    /** Whether this process runs as root. */
    static boolean asRoot() {
        try {
            return command(List.of("id", "-u")).outIfOk().strip().equals("0");
        } catch (IOException e) {
            return false;
        }
    }

    static Result command(List<String> command) throws IOException {
        return command(command, Map.of(), null);
    }

    /** Runs {@code command} with {@code environment} added, in {@code folder} (or here), for at most two minutes. */
    static Result command(List<String> command, Map<String, String> environment, Path folder) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        if (folder != null) {
            builder.directory(folder.toFile());
        }
        Process process = builder.start();
        process.getOutputStream().close();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
        try {
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError(command + " did not end within two minutes");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while " + command + " ran", e);
        }
        return new Result(process.exitValue(), out.join(), err.join());
    }

    private static String read(InputStream stream) {
        try (stream) {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
