package chunk.server.internal.digests;

import static org.assertj.core.api.Assertions.assertThat;

import chunk.server.internal.digests.DigestService.Answer;
import chunk.wire.Digest;
import chunk.wire.Frame;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The flat digests on real files, with a hook inside its pass where a test must act at a precise moment. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FlatDigestsTests {

    static final int PIECE = 4096;
    static final Runnable NOTHING = () -> {};
    /** More hashing threads than this machine's default, so that two passes could run at once if the service let them. */
    static final int THREADS = 4;

    @TempDir
    Path root;
    final HashingThreads threads = new HashingThreads(THREADS);

    @AfterEach
    void stopThreads() {
        threads.close();
    }

    static byte[] random(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** The expected digests, from the file's bytes with nothing of the server's code. */
    static List<Digest> digestsOf(byte[] file, int pieceLength) {
        return IntStream.range(0, (file.length + pieceLength - 1) / pieceLength)
                .mapToObj(i -> Digest.of(Arrays.copyOfRange(file, i * pieceLength, Math.min(file.length, (i + 1) * pieceLength))))
                .toList();
    }

    Path write(String name, byte[] bytes) throws IOException {
        return Files.write(root.resolve(name), bytes).toRealPath();
    }

    /** Rewrites in place, same size, and moves the modification time on so that no clock tick can hide the change. */
    static void rewrite(Path path, byte[] bytes) {
        try {
            FileTime before = Files.getLastModifiedTime(path);
            Files.write(path, bytes);
            Files.setLastModifiedTime(path, FileTime.fromMillis(before.toMillis() + 5_000));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Frame.DigestReply digests(Answer answer) {
        assertThat(answer).isInstanceOf(Answer.Digests.class);
        return ((Answer.Digests) answer).reply();
    }

    static Frame.DigestRequest request(Path path, long first) {
        return new Frame.DigestRequest(path.getFileName().toString(), first, PIECE);
    }

    static List<Digest> all(byte[] file) {
        return digestsOf(file, PIECE);
    }

    @Nested
    class ChangesDuringAPass {

        @Test
        void aFileRewrittenWhileItIsHashedIsHashedAgainAndAnsweredWithTheNewBytesOnly() throws Exception {
            byte[] old = random(3 << 20, 1); // three buffers: the hook runs between them
            byte[] rewritten = random(3 << 20, 2);
            Path path = write("f.bin", old);
            AtomicInteger calls = new AtomicInteger();
            var service = new FlatDigests(FlatDigests.DEFAULT_CACHE_BYTES, threads, (file, hashed) -> {
                if (calls.getAndIncrement() == 0) {
                    rewrite(file, rewritten); // after the first MiB of the old bytes
                }
            });
            long before = FlatDigests.passesSoFar();

            Frame.DigestReply reply = digests(service.answer(path, request(path, 0), NOTHING));

            assertThat(FlatDigests.passesSoFar() - before).isEqualTo(2);
            assertThat(reply.root()).isEqualTo(Digest.rootOf(all(rewritten)));
            assertThat(reply.digests()).isEqualTo(all(rewritten).subList(0, 126));
        }

        @Test
        void aFileThatChangesDuringEveryPassIsAnsweredThatItKeepsChanging() throws Exception {
            byte[] a = random(2 << 20, 3);
            byte[] b = random(2 << 20, 4);
            Path path = write("busy.bin", a);
            AtomicInteger calls = new AtomicInteger();
            var service = new FlatDigests(FlatDigests.DEFAULT_CACHE_BYTES, threads,
                    (file, hashed) -> rewrite(file, calls.getAndIncrement() % 2 == 0 ? b : a));
            long before = FlatDigests.passesSoFar();

            assertThat(service.answer(path, request(path, 0), NOTHING)).isInstanceOf(Answer.KeptChanging.class);
            assertThat(FlatDigests.passesSoFar() - before).isEqualTo(DigestService.ATTEMPTS);
            assertThat(service.cachedVersions()).isZero();
        }

        @Test
        void aFileThatShrinksWhileItIsHashedIsNeverAnsweredWithDigestsOfBytesItNoLongerHas() throws Exception {
            byte[] old = random(3 << 20, 5);
            byte[] shorter = random(1 << 20, 6);
            Path path = write("shrinks.bin", old);
            AtomicInteger calls = new AtomicInteger();
            var service = new FlatDigests(FlatDigests.DEFAULT_CACHE_BYTES, threads, (file, hashed) -> {
                if (calls.getAndIncrement() == 0) {
                    rewrite(file, shorter);
                }
            });

            Frame.DigestReply reply = digests(service.answer(path, request(path, 0), NOTHING));

            assertThat(reply.fileSize()).isEqualTo(shorter.length);
            assertThat(reply.root()).isEqualTo(Digest.rootOf(all(shorter)));
        }
    }

    @Nested
    class OnePassPerVersion {

        @Test
        void requestsThatArriveWhileAVersionIsHashedWaitForThatPass() throws Exception {
            byte[] file = random(2 << 20, 7);
            Path path = write("shared.bin", file);
            CountDownLatch inPass = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            var service = new FlatDigests(FlatDigests.DEFAULT_CACHE_BYTES, threads, (f, hashed) -> {
                inPass.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            long before = FlatDigests.passesSoFar();
            List<Thread> waiters = new ArrayList<>();
            List<Future<Answer>> answers = new ArrayList<>();

            try (ExecutorService requests = Executors.newThreadPerTaskExecutor(runnable -> {
                Thread thread = Thread.ofPlatform().unstarted(runnable);
                waiters.add(thread);
                return thread;
            })) {
                answers.add(requests.submit(() -> service.answer(path, request(path, 0), NOTHING)));
                inPass.await(); // the first pass has begun and is held
                for (int i = 1; i <= 8; i++) {
                    long first = i;
                    answers.add(requests.submit(() -> service.answer(path, request(path, first), NOTHING)));
                }
                // Every request is parked on the pass's future before the pass may end.
                for (Thread waiter : waiters) {
                    while (waiter.getState() != Thread.State.TIMED_WAITING) {
                        Thread.onSpinWait();
                    }
                }
                release.countDown();
                for (int i = 0; i < answers.size(); i++) {
                    assertThat(digests(answers.get(i).get()).digests()).isEqualTo(all(file).subList(i, Math.min(512, i + 126)));
                }
            }

            assertThat(FlatDigests.passesSoFar() - before).isEqualTo(1);
        }

        @Test
        void aCachedVersionIsAnsweredWhileAnotherFileIsBeingHashed() throws Exception {
            Path ready = write("ready.bin", random(10 * PIECE, 8));
            Path slow = write("slow.bin", random(2 << 20, 9));
            CountDownLatch inPass = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            var service = new FlatDigests(FlatDigests.DEFAULT_CACHE_BYTES, threads, (f, hashed) -> {
                if (f.equals(slow)) {
                    inPass.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            });
            digests(service.answer(ready, request(ready, 0), NOTHING));

            try (ExecutorService requests = Executors.newVirtualThreadPerTaskExecutor()) {
                Future<Answer> pending = requests.submit(() -> service.answer(slow, request(slow, 0), NOTHING));
                inPass.await();

                assertThat(digests(service.answer(ready, request(ready, 3), NOTHING)).firstPiece()).isEqualTo(3);

                release.countDown();
                assertThat(pending.get()).isInstanceOf(Answer.Digests.class);
            }
        }

        @Test
        void eachPieceLengthIsItsOwnPassAndItsOwnEntry() throws Exception {
            Path path = write("two.bin", random(100_000, 10));
            var service = new FlatDigests(threads);
            long before = FlatDigests.passesSoFar();

            service.answer(path, new Frame.DigestRequest("two.bin", 0, 4096), NOTHING);
            service.answer(path, new Frame.DigestRequest("two.bin", 0, 8192), NOTHING);
            service.answer(path, new Frame.DigestRequest("two.bin", 1, 4096), NOTHING);
            service.answer(path, new Frame.DigestRequest("two.bin", 1, 8192), NOTHING);

            assertThat(FlatDigests.passesSoFar() - before).isEqualTo(2);
            assertThat(service.cachedVersions()).isEqualTo(2);
        }

        @Test
        void aWaitingRequestSaysItIsStillWorking() throws Exception {
            Path path = write("waits.bin", random(2 << 20, 11));
            CountDownLatch working = new CountDownLatch(1);
            var service = new FlatDigests(FlatDigests.DEFAULT_CACHE_BYTES, threads, (f, hashed) -> {
                try {
                    working.await(); // held until the request has reported that it still works
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });

            assertThat(service.answer(path, request(path, 0), working::countDown)).isInstanceOf(Answer.Digests.class);
            assertThat(working.getCount()).isZero();
        }
    }

    @Nested
    class BoundedMemory {

        @Test
        void theCacheKeepsTheMostRecentlyUsedVersionsWithinItsBytes() throws Exception {
            // Ten files of 100 pieces: 3200 bytes of digests each; room for three.
            long bound = 3 * (100 * Digest.BYTES + 256);
            var service = new FlatDigests(bound, threads, FlatDigests.PassHook.NONE);
            List<Path> files = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                Path path = write("f" + i + ".bin", random(100 * PIECE, 20 + i));
                files.add(path);
                service.answer(path, request(path, 0), NOTHING);
                assertThat(service.cachedBytes()).isLessThanOrEqualTo(bound);
            }
            assertThat(service.cachedVersions()).isEqualTo(3);

            long before = FlatDigests.passesSoFar();
            service.answer(files.get(9), request(files.get(9), 0), NOTHING);
            assertThat(FlatDigests.passesSoFar() - before).as("the latest is cached").isZero();
            service.answer(files.get(0), request(files.get(0), 0), NOTHING);
            assertThat(FlatDigests.passesSoFar() - before).as("the eldest was let go").isEqualTo(1);
        }

        @Test
        void aNewVersionTakesTheOldOnesPlace() throws Exception {
            Path path = write("v.bin", random(100 * PIECE, 30));
            var service = new FlatDigests(threads);
            service.answer(path, request(path, 0), NOTHING);
            long one = service.cachedBytes();

            rewrite(path, random(100 * PIECE, 31));
            service.answer(path, request(path, 0), NOTHING);

            assertThat(service.cachedVersions()).isEqualTo(1);
            assertThat(service.cachedBytes()).isEqualTo(one);
        }

        @Test
        void aVersionTooLargeToCacheIsStillAnsweredCorrectlyButHashedForEachRequest() throws Exception {
            byte[] file = random(300 * PIECE, 40);
            Path path = write("huge.bin", file);
            var service = new FlatDigests(100 * Digest.BYTES, threads, FlatDigests.PassHook.NONE);
            long before = FlatDigests.passesSoFar();

            Frame.DigestReply first = digests(service.answer(path, request(path, 0), NOTHING));
            Frame.DigestReply last = digests(service.answer(path, request(path, 252), NOTHING));
            Frame.DigestReply rootOnly = digests(service.answer(path, request(path, 300), NOTHING));

            assertThat(first.digests()).isEqualTo(all(file).subList(0, 126));
            assertThat(last.digests()).isEqualTo(all(file).subList(252, 300));
            assertThat(rootOnly.digests()).isEmpty();
            assertThat(List.of(first.root(), last.root(), rootOnly.root())).containsOnly(Digest.rootOf(all(file)));
            assertThat(FlatDigests.passesSoFar() - before).isEqualTo(3);
            assertThat(service.cachedVersions()).isZero();
        }
    }

    @Nested
    class Refusals {

        @Test
        void aFirstPiecePastTheEndIsRefusedWithoutHashingTheFile() throws Exception {
            Path path = write("r.bin", random(PIECE + 1, 50));
            var service = new FlatDigests(threads);
            long before = FlatDigests.passesSoFar();

            assertThat(service.answer(path, request(path, 3), NOTHING))
                    .isEqualTo(new Answer.BadRequest("bad digest request: first piece 3 is past the end of the file (2 pieces of 4096 bytes)"));
            assertThat(FlatDigests.passesSoFar() - before).isZero();
        }

        @Test
        void aFileThatVanishedCannotBeRead() throws Exception {
            Path path = write("gone.bin", new byte[10]);
            Files.delete(path);

            assertThat(new FlatDigests(threads).answer(path, request(path, 0), NOTHING)).isInstanceOf(Answer.CannotRead.class);
        }
    }
}
