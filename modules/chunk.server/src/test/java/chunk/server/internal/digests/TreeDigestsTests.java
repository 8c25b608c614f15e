package chunk.server.internal.digests;

import static org.assertj.core.api.Assertions.assertThat;

import chunk.server.internal.digests.DigestService.Answer;
import chunk.wire.Digest;
import chunk.wire.Frame;
import chunk.wire.tree.DigestTree;
import chunk.wire.tree.TreeHasher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * DIGESTS from the digest tree (a connection kept open at version 2) on real files, with a cache
 * folder on a real disk; each piece layer checked against chunk.wire's tree of the same bytes,
 * which its own tests check against libtorrent. Passes are counted by {@link TreePass#passesSoFar}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TreeDigestsTests {

    static final Runnable NOTHING = () -> {};

    @TempDir
    Path work;
    Path served;
    Path cacheFolder;
    final List<DigestService> services = new ArrayList<>();
    TreePass.Between hook = TreePass.Between.NONE;

    @BeforeEach
    void folders() throws IOException {
        served = Files.createDirectories(work.resolve("served")).toRealPath();
        cacheFolder = work.resolve("cache");
    }

    @AfterEach
    void stop() {
        services.forEach(DigestService::close);
    }

    /** A service as a server makes it: with the cache folder, or in memory only; the layer bound a test may lower. */
    DigestService service(boolean onDisk, int maxLayerBytes) throws IOException {
        HashingThreads threads = new HashingThreads(2);
        TreeCacheFolder disk = onDisk ? TreeCacheFolder.open(cacheFolder, served, 1 << 30) : null;
        DigestService service = new DigestService(threads,
                new TreeStore(threads, disk, TreeStore.DEFAULT_MEMORY_BYTES, maxLayerBytes, (file, hashed) -> hook.next(file, hashed)),
                FlatDigests.PassHook.NONE);
        services.add(service);
        return service;
    }

    DigestService service() throws IOException {
        return service(true, TreePass.MAX_LAYER_BYTES);
    }

    /** A restart: the old service stops, a new one opens the same cache folder with nothing in memory. */
    DigestService restarted() throws IOException {
        services.forEach(DigestService::close);
        services.clear();
        return service();
    }

    static byte[] random(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    static DigestTree treeOf(byte[] bytes) {
        TreeHasher hasher = new TreeHasher(bytes.length);
        hasher.update(bytes, 0, bytes.length);
        return hasher.finish();
    }

    Path write(String name, byte[] bytes) throws IOException {
        return Files.write(served.resolve(name), bytes).toRealPath();
    }

    /** Rewrites in place and moves the modification time on, so that no clock tick can hide the change. */
    static void rewrite(Path path, byte[] bytes) {
        try {
            FileTime before = Files.getLastModifiedTime(path);
            Files.write(path, bytes);
            Files.setLastModifiedTime(path, FileTime.fromMillis(before.toMillis() + 5_000));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Frame.DigestReply reply(Answer answer) {
        assertThat(answer).isInstanceOf(Answer.Digests.class);
        return ((Answer.Digests) answer).reply();
    }

    /** Every page of pieces at {@code pieceLength}, asked for as a client pages through them. */
    static List<Digest> allPieces(DigestService service, Path path, int pieceLength, Digest expectedRoot) throws Exception {
        List<Digest> all = new ArrayList<>();
        for (long first = 0; ; first += Frame.MAX_DIGESTS_PER_REPLY) {
            Frame.DigestReply reply = reply(service.answer(path, new Frame.DigestRequest(path.getFileName().toString(), first,
                    pieceLength), true, NOTHING));
            assertThat(reply.root()).isEqualTo(expectedRoot);
            all.addAll(reply.digests());
            if (reply.digests().size() < Frame.MAX_DIGESTS_PER_REPLY) {
                return all;
            }
        }
    }

    @Nested
    class OnePassPerVersion {

        @Test
        void everyPieceLengthAClientMayAskIsAnsweredFromOnePassWithTheTreesRoot() throws Exception {
            byte[] bytes = random((5 << 20) + 4321, 1);
            Path path = write("f.bin", bytes);
            DigestTree expected = treeOf(bytes);
            DigestService service = service();
            long before = TreePass.passesSoFar();

            for (int length = 16 << 10; length > 0 && length <= Frame.MAX_PIECE_LENGTH; length *= 2) {
                List<Digest> pieces = allPieces(service, path, length, expected.root());
                assertThat(pieces).as("at %d", length).isEqualTo(expected.pieces(length, 0, (int) expected.pieceCount(length)));
            }

            assertThat(TreePass.passesSoFar() - before).isEqualTo(1);
        }

        @Test
        void aRestartedServerAnswersFromItsCacheFolderWithoutAPass() throws Exception {
            byte[] bytes = random(3 << 20, 2);
            Path path = write("f.bin", bytes);
            allPieces(service(), path, 1 << 20, treeOf(bytes).root());
            long before = TreePass.passesSoFar();

            List<Digest> pieces = allPieces(restarted(), path, 64 << 10, treeOf(bytes).root());

            assertThat(TreePass.passesSoFar() - before).isZero();
            assertThat(pieces).isEqualTo(treeOf(bytes).pieces(64 << 10, 0, 48));
        }

        @Test
        void withoutACacheFolderARestartedServerHashesAgain() throws Exception {
            byte[] bytes = random(1 << 20, 3);
            Path path = write("f.bin", bytes);
            allPieces(service(false, TreePass.MAX_LAYER_BYTES), path, 1 << 20, treeOf(bytes).root());
            services.forEach(DigestService::close);
            long before = TreePass.passesSoFar();

            allPieces(service(false, TreePass.MAX_LAYER_BYTES), path, 1 << 20, treeOf(bytes).root());

            assertThat(TreePass.passesSoFar() - before).isEqualTo(1);
        }
    }

    @Nested
    class EntriesThatAreNotTrusted {

        byte[] bytes = random(2 << 20, 4);
        Path path;

        @BeforeEach
        void hashedOnce() throws Exception {
            path = write("f.bin", bytes);
            allPieces(service(), path, 1 << 20, treeOf(bytes).root());
            services.forEach(DigestService::close);
            services.clear();
        }

        Path entry() throws IOException {
            return TreeCacheFolder.open(cacheFolder, served, 1 << 30).entryOf(path);
        }

        void assertHashedAgainAndRight(byte[] now) throws Exception {
            long before = TreePass.passesSoFar();

            List<Digest> pieces = allPieces(service(), path, 256 << 10, treeOf(now).root());

            assertThat(TreePass.passesSoFar() - before).isEqualTo(1);
            assertThat(pieces).isEqualTo(treeOf(now).pieces(256 << 10, 0, (int) treeOf(now).pieceCount(256 << 10)));
        }

        @Test
        void anEntryCutShortIsHashedAgain() throws Exception {
            byte[] entry = Files.readAllBytes(entry());
            Files.write(entry(), Arrays.copyOf(entry, entry.length / 2));

            assertHashedAgainAndRight(bytes);
        }

        @Test
        void anEntryWithABitFlippedIsHashedAgain() throws Exception {
            byte[] entry = Files.readAllBytes(entry());
            entry[entry.length / 2] ^= 0x04;
            Files.write(entry(), entry);

            assertHashedAgainAndRight(bytes);
        }

        @Test
        void aFileReplacedByAnotherOfTheSameSizeAndTimeIsHashedAgain() throws Exception {
            // Another inode under the same name, with the old modification time: a foreign entry.
            FileTime modified = Files.getLastModifiedTime(path);
            byte[] other = random(bytes.length, 5);
            Path fresh = Files.write(served.resolve("f.bin.new"), other);
            Files.setLastModifiedTime(fresh, modified);
            Files.move(fresh, path, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);

            assertHashedAgainAndRight(other);
        }

        @Test
        void aFileRewrittenWhileTheServerWasDownIsHashedAgain() throws Exception {
            byte[] other = random(bytes.length + 1000, 6);
            rewrite(path, other);

            assertHashedAgainAndRight(other);
        }

        @Test
        void aFileTouchedWhileTheServerWasDownIsHashedAgain() throws Exception {
            Files.setLastModifiedTime(path, FileTime.fromMillis(Files.getLastModifiedTime(path).toMillis() + 1));

            assertHashedAgainAndRight(bytes);
        }
    }

    @Nested
    class ChangesAndRefusals {

        @Test
        void aFileRewrittenDuringItsPassIsHashedAgainAndAnsweredWithTheNewBytesOnly() throws Exception {
            byte[] old = random(3 << 20, 7);
            byte[] rewritten = random(3 << 20, 8);
            Path path = write("f.bin", old);
            AtomicInteger calls = new AtomicInteger();
            hook = (file, hashed) -> {
                if (calls.getAndIncrement() == 0) {
                    rewrite(path, rewritten);
                }
                return true;
            };
            DigestService service = service();
            long before = TreePass.passesSoFar();

            List<Digest> pieces = allPieces(service, path, 1 << 20, treeOf(rewritten).root());

            assertThat(TreePass.passesSoFar() - before).isEqualTo(2);
            assertThat(pieces).isEqualTo(treeOf(rewritten).pieces(1 << 20, 0, 3));
        }

        @Test
        void aFileThatChangesDuringEveryPassIsAnsweredThatItKeepsChanging() throws Exception {
            byte[] a = random(2 << 20, 9);
            byte[] b = random(2 << 20, 10);
            Path path = write("busy.bin", a);
            AtomicInteger calls = new AtomicInteger();
            hook = (file, hashed) -> {
                rewrite(path, calls.getAndIncrement() % 2 == 0 ? b : a);
                return true;
            };

            assertThat(service().answer(path, new Frame.DigestRequest("busy.bin", 0, 1 << 20), true, NOTHING))
                    .isInstanceOf(Answer.KeptChanging.class);
        }

        @Test
        void piecesShorterThanABlockAreNoNodesOfTheTree() throws Exception {
            Path path = write("f.bin", random(100, 11));

            assertThat(service().answer(path, new Frame.DigestRequest("f.bin", 0, 8192), true, NOTHING))
                    .isEqualTo(new Answer.BadPieceLength(
                            "bad digest request: piece length 8192 is shorter than a block of the digest tree (16384 bytes)"));
        }

        @Test
        void aFirstPiecePastTheLastIsRefusedAsForFlatDigests() throws Exception {
            Path path = write("f.bin", random(40_000, 12));

            assertThat(service().answer(path, new Frame.DigestRequest("f.bin", 4, 16384), true, NOTHING))
                    .isEqualTo(new Answer.BadRequest("bad digest request: first piece 4 is past the end of the file (3 pieces of 16384 bytes)"));
        }

        @Test
        void anEmptyFileHasTheSha256OfNothingAsItsRootAndNoPieces() throws Exception {
            Path path = write("empty", new byte[0]);

            assertThat(reply(service().answer(path, new Frame.DigestRequest("empty", 0, 16384), true, NOTHING)))
                    .isEqualTo(new Frame.DigestReply(0, 0, DigestTree.EMPTY_ROOT, List.of()));
        }

        @Test
        void theSameConnectionAtVersionOneGetsFlatDigests() throws Exception {
            byte[] bytes = random(100_000, 13);
            Path path = write("f.bin", bytes);

            Frame.DigestReply flat = reply(service().answer(path, new Frame.DigestRequest("f.bin", 0, 65536), false, NOTHING));

            assertThat(flat.digests()).containsExactly(Digest.of(Arrays.copyOf(bytes, 65536)),
                    Digest.of(Arrays.copyOfRange(bytes, 65536, bytes.length)));
            assertThat(flat.root()).isEqualTo(Digest.rootOf(flat.digests())).isNotEqualTo(treeOf(bytes).root());
        }
    }

    @Nested
    class AVeryLargeFile {

        @Test
        void piecesBelowTheKeptLayerAreHashedFromTheFileAndTheRestComeFromTheLayer() throws Exception {
            // A 1 KiB bound keeps the 64 KiB layer of a 2 MiB file, as 32 MiB keeps a higher one of a file past 16 GiB.
            byte[] bytes = random((2 << 20) + 777, 14);
            Path path = write("huge.bin", bytes);
            DigestTree expected = treeOf(bytes);
            DigestService service = service(true, 1024);

            for (int length = 16 << 10; length <= 4 << 20; length *= 2) {
                assertThat(allPieces(service, path, length, expected.root())).as("at %d", length)
                        .isEqualTo(expected.pieces(length, 0, (int) expected.pieceCount(length)));
            }
            assertThat(service.trees().treesInMemory()).isEqualTo(1);
        }
    }
}
