package chunk.server.internal.digests;

import static org.assertj.core.api.Assertions.assertThat;

import chunk.wire.Frame;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The served folder hashed in the background, and the order of the work when a client asks. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BackgroundHashingTests {

    @TempDir
    Path work;
    Path served;
    TreeCacheFolder disk;
    HashingThreads threads;
    DigestService service;
    /** Each pass's buffers as they are hashed: "a.bin@1048576". */
    final List<String> passes = new CopyOnWriteArrayList<>();
    volatile TreePass.Between hook = TreePass.Between.NONE;

    @BeforeEach
    void start() throws IOException {
        served = Files.createDirectories(work.resolve("served")).toRealPath();
        disk = TreeCacheFolder.open(work.resolve("cache"), served, 1 << 30);
        threads = new HashingThreads(1); // one thread, so that the order of the work is the order of the queue
        service = new DigestService(threads, new TreeStore(threads, disk, TreeStore.DEFAULT_MEMORY_BYTES, TreePass.MAX_LAYER_BYTES,
                (file, hashed) -> {
                    passes.add(file.getFileName() + "@" + hashed);
                    return hook.next(file, hashed);
                }), FlatDigests.PassHook.NONE);
    }

    @AfterEach
    void stop() {
        service.close();
    }

    Path write(String name, int length) throws IOException {
        byte[] bytes = new byte[length];
        new Random(name.hashCode()).nextBytes(bytes);
        Path path = served.resolve(name);
        Files.createDirectories(path.getParent());
        return Files.write(path, bytes).toRealPath();
    }

    /** The server's rule, simplified: a regular file under the root with no hidden segment. */
    Optional<Path> resolve(String name) {
        Path path = served.resolve(name);
        boolean hidden = List.of(name.split("/")).stream().anyMatch(segment -> segment.startsWith("."));
        return !hidden && Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS) ? Optional.of(path) : Optional.empty();
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("waited 30 s for %s", what).isNegative();
            Thread.sleep(10);
        }
    }

    Frame.DigestReply ask(Path file) throws InterruptedException {
        var answer = service.answer(file, new Frame.DigestRequest(file.getFileName().toString(), 0, 1 << 20), true, () -> {});
        assertThat(answer).isInstanceOf(DigestService.Answer.Digests.class);
        return ((DigestService.Answer.Digests) answer).reply();
    }

    @Test
    void theServedFilesAreHashedOnceListeningAndThenAnsweredWithoutAPass() throws Exception {
        Path a = write("a.bin", 300_000);
        write("sub/b.bin", 2 << 20);
        write("c.bin", 0);
        write(".hidden", 1000);
        write(".git/config", 1000);

        service.hashFolderInBackground(served, this::resolve);
        await("three trees in the cache folder", () -> disk.entryCount() == 3);
        long before = TreePass.passesSoFar();
        ask(a);

        assertThat(TreePass.passesSoFar() - before).isZero();
        assertThat(passes).noneMatch(pass -> pass.startsWith(".hidden") || pass.startsWith("config"));
    }

    @Test
    void aFileThatAppearsOrChangesLaterIsHashedOnceItIsLeftAlone() throws Exception {
        Path a = write("a.bin", 100_000);
        service.hashFolderInBackground(served, this::resolve);
        await("a.bin hashed", () -> disk.entryCount() == 1);

        Path later = write("later/new.bin", 200_000);
        await("the new file hashed", () -> disk.entryCount() == 2);
        write("a.bin", 150_000);
        await("the changed file hashed again", () -> disk.read(identity(a)) instanceof TreeCacheFolder.Lookup.Found);

        long before = TreePass.passesSoFar();
        ask(later);
        ask(a);
        assertThat(TreePass.passesSoFar() - before).isZero();
    }

    FileIdentity identity(Path path) {
        try {
            return FileIdentity.of(path);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aFileAskedForGoesBeforeTheQueueAndIsHashedBetweenTwoBuffersOfTheRunningPass() throws Exception {
        Path first = write("first.bin", 3 << 20);
        Path second = write("second.bin", 1 << 20);
        Path asked = write("asked.bin", 1 << 20);
        CountDownLatch firstStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean held = new AtomicBoolean();
        hook = (file, hashed) -> {
            if (file.equals(first) && held.compareAndSet(false, true)) {
                firstStarted.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return true;
        };
        for (Path file : List.of(first, second, asked)) {
            service.trees().hashInBackground(file);
        }
        assertThat(firstStarted.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(threads.backlog()).isEqualTo(2);

        Future<Frame.DigestReply> reply;
        try (var asker = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            reply = asker.submit(() -> ask(asked));
            await("the asked file moved out of the background queue", () -> threads.backlog() == 1);
            release.countDown();
            reply.get(30, TimeUnit.SECONDS);
        }
        await("all three hashed", () -> disk.entryCount() == 3);

        List<String> order = new ArrayList<>(passes);
        assertThat(order).containsSubsequence("first.bin@1048576", "asked.bin@1048576", "first.bin@2097152",
                "first.bin@3145728", "second.bin@1048576");
    }

    @Test
    void aBackgroundPassThatAClientWaitsForStopsSteppingBackForTransfers() throws Exception {
        service.close();
        HashingThreads busy = new HashingThreads(1, () -> true); // a transfer is always in flight
        service = new DigestService(busy, new TreeStore(busy, disk, TreeStore.DEFAULT_MEMORY_BYTES, TreePass.MAX_LAYER_BYTES,
                (file, hashed) -> {
                    passes.add(file.getFileName() + "@" + hashed);
                    return hook.next(file, hashed);
                }), FlatDigests.PassHook.NONE);
        Path file = write("wanted.bin", 6 << 20);
        CountDownLatch firstBuffer = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        hook = (path, hashed) -> {
            if (hashed == TreePass.BUFFER_BYTES) {
                firstBuffer.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return true;
        };
        service.trees().hashInBackground(file);
        assertThat(firstBuffer.await(30, TimeUnit.SECONDS)).isTrue();
        long pausesBeforeTheRequest = busy.pausesSoFar();

        try (var asker = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Frame.DigestReply> reply = asker.submit(() -> ask(file));
            await("the client waits for the pass", () -> service.trees().asked(file));
            release.countDown();
            reply.get(30, TimeUnit.SECONDS);
        }

        assertThat(pausesBeforeTheRequest).as("unasked, it stepped back after its first buffer").isEqualTo(1);
        assertThat(busy.pausesSoFar()).as("asked, it went on at full speed").isEqualTo(pausesBeforeTheRequest);
        assertThat(passes).contains("wanted.bin@6291456");
    }

    @Test
    void aFileThatIsNotServedIsNotHashed() throws Exception {
        write("a.bin", 1000);
        Path outside = Files.write(work.resolve("outside.bin"), new byte[1000]);
        Files.createSymbolicLink(served.resolve("link.bin"), outside);

        service.hashFolderInBackground(served, this::resolve);
        await("a.bin hashed", () -> disk.entryCount() >= 1);
        write("b.bin", 1000); // hashed after the walk: by then the link was long passed
        await("b.bin hashed", () -> disk.entryCount() >= 2);

        assertThat(disk.entryCount()).isEqualTo(2);
        assertThat(passes).noneMatch(pass -> pass.startsWith("outside") || pass.startsWith("link"));
    }
}
