package chunk.server.internal.digests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import chunk.server.internal.digests.TreeCacheFolder.Lookup;
import chunk.server.internal.digests.TreeCacheFolder.Why;
import chunk.wire.tree.DigestTree;
import chunk.wire.tree.TreeHasher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cache folder on a real disk: what it keeps, what it refuses, and what it lets go. */
class TreeCacheFolderTests {

    @TempDir
    Path work;
    Path served;
    Path cacheFolder;

    @BeforeEach
    void folders() throws IOException {
        served = Files.createDirectories(work.resolve("served")).toRealPath();
        cacheFolder = work.resolve("cache");
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

    /** A served file and the identity and tree of its current version. */
    record Kept(Path path, FileIdentity identity, DigestTree tree) {}

    Kept file(String name, int length, long seed) throws IOException {
        byte[] bytes = random(length, seed);
        Path path = Files.write(served.resolve(name), bytes).toRealPath();
        return new Kept(path, FileIdentity.of(path), treeOf(bytes));
    }

    TreeCacheFolder open(long maxBytes) throws IOException {
        return TreeCacheFolder.open(cacheFolder, served, maxBytes);
    }

    @Nested
    class WhatItKeeps {

        @Test
        void aTreeWrittenIsReadBackWholeForTheSameVersion() throws IOException {
            TreeCacheFolder cache = open(1 << 20);
            Kept file = file("a.bin", 300_000, 1);

            cache.write(file.identity(), file.tree());
            Lookup lookup = cache.read(file.identity());

            assertThat(lookup).isInstanceOf(Lookup.Found.class);
            DigestTree read = ((Lookup.Found) lookup).tree();
            assertThat(read.root()).isEqualTo(file.tree().root());
            assertThat(read.layer()).isEqualTo(file.tree().layer());
            assertThat(cache.entryCount()).isEqualTo(1);
            assertThat(cache.bytes()).isEqualTo(Files.size(cache.entryOf(file.path())));
        }

        @Test
        void aNewServerOnTheSameFolderFindsTheEntriesTheLastOneWrote() throws IOException {
            Kept file = file("a.bin", 50_000, 2);
            open(1 << 20).write(file.identity(), file.tree());

            TreeCacheFolder again = open(1 << 20);

            assertThat(again.entryCount()).isEqualTo(1);
            assertThat(again.read(file.identity())).isInstanceOf(Lookup.Found.class);
        }

        @Test
        void aFileNeverWrittenIsAbsent() throws IOException {
            assertThat(open(1 << 20).read(file("new.bin", 10, 3).identity())).isInstanceOf(Lookup.Absent.class);
        }

        @Test
        void whatAWriterLeftHalfDoneLongAgoIsRemovedAtStart() throws IOException {
            open(1 << 20);
            Path leftOver = Files.write(cacheFolder.resolve(".writing-abc.tree-1234"), new byte[100]);
            Path recent = Files.write(cacheFolder.resolve(".writing-def.tree-5678"), new byte[100]);
            Files.setLastModifiedTime(leftOver, FileTime.from(Instant.now().minusSeconds(3600)));

            open(1 << 20);

            assertThat(leftOver).doesNotExist();
            assertThat(recent).as("perhaps another server's, still writing").exists();
        }
    }

    @Nested
    class WhatItRefuses {

        Kept file;
        TreeCacheFolder cache;
        Path entry;

        @BeforeEach
        void oneEntry() throws IOException {
            file = file("a.bin", 200_000, 4);
            cache = open(1 << 20);
            cache.write(file.identity(), file.tree());
            entry = cache.entryOf(file.path());
        }

        void assertRefusedAndRemoved(FileIdentity asked, Why why) {
            Lookup lookup = cache.read(asked);

            assertThat(lookup).isInstanceOf(Lookup.Refused.class);
            assertThat(((Lookup.Refused) lookup).why()).isEqualTo(why);
            assertThat(entry).as("a refused entry is removed").doesNotExist();
            assertThat(cache.entryCount()).isZero();
            assertThat(cache.read(asked)).isInstanceOf(Lookup.Absent.class);
        }

        @Test
        void anEntryCutShortIsDamaged() throws IOException {
            byte[] bytes = Files.readAllBytes(entry);
            Files.write(entry, Arrays.copyOf(bytes, bytes.length - 100));

            assertRefusedAndRemoved(file.identity(), Why.DAMAGED);
        }

        @Test
        void anEntryWithOneBitFlippedInItsLayerIsDamaged() throws IOException {
            byte[] bytes = Files.readAllBytes(entry);
            bytes[bytes.length - 200] ^= 0x10;
            Files.write(entry, bytes);

            assertRefusedAndRemoved(file.identity(), Why.DAMAGED);
        }

        @Test
        void anEntryWithOneBitFlippedInItsHeaderIsDamaged() throws IOException {
            byte[] bytes = Files.readAllBytes(entry);
            bytes[17] ^= 0x01; // in the file's size
            Files.write(entry, bytes);

            assertRefusedAndRemoved(file.identity(), Why.DAMAGED);
        }

        @Test
        void anEntryOfAnotherInodeIsForeign() {
            FileIdentity other = new FileIdentity(file.path(), file.identity().device(), file.identity().inode() + 1,
                    file.identity().size(), file.identity().modifiedNanos(), file.identity().changedNanos());

            assertRefusedAndRemoved(other, Why.FOREIGN);
        }

        @Test
        void anEntryOfAnotherDeviceIsForeign() {
            FileIdentity other = new FileIdentity(file.path(), file.identity().device() + 1, file.identity().inode(),
                    file.identity().size(), file.identity().modifiedNanos(), file.identity().changedNanos());

            assertRefusedAndRemoved(other, Why.FOREIGN);
        }

        @Test
        void anEntryOfAnotherSizeIsStale() {
            FileIdentity other = new FileIdentity(file.path(), file.identity().device(), file.identity().inode(),
                    file.identity().size() + 1, file.identity().modifiedNanos(), file.identity().changedNanos());

            assertRefusedAndRemoved(other, Why.STALE);
        }

        @Test
        void anEntryOfAnotherModificationTimeByOneNanosecondIsStale() {
            FileIdentity other = new FileIdentity(file.path(), file.identity().device(), file.identity().inode(),
                    file.identity().size(), file.identity().modifiedNanos() + 1, file.identity().changedNanos());

            assertRefusedAndRemoved(other, Why.STALE);
        }

        @Test
        void anEntryOfAnotherChangeTimeIsStale() throws IOException {
            // Written in place with the same size, the modification time set back: only the ctime tells.
            FileTime modified = Files.getLastModifiedTime(file.path());
            Files.write(file.path(), random(200_000, 99));
            Files.setLastModifiedTime(file.path(), modified);
            FileIdentity now = FileIdentity.of(file.path());
            assertThat(now.modifiedNanos()).isEqualTo(file.identity().modifiedNanos());

            assertRefusedAndRemoved(now, Why.STALE);
        }

        @Test
        void somethingElseUnderAnEntrysNameIsDamaged() throws IOException {
            Files.writeString(entry, "not a tree at all, but long enough to have a header and a checksum of its own to fail");

            assertRefusedAndRemoved(file.identity(), Why.DAMAGED);
        }
    }

    @Nested
    class ItsBound {

        @Test
        void theLeastRecentlyUsedEntriesGoWhenTheFolderIsFull() throws IOException {
            Kept a = file("a.bin", 100_000, 5);
            Kept b = file("b.bin", 100_000, 6);
            Kept c = file("c.bin", 100_000, 7);
            long entryBytes = TreeCacheFolder.serialize(a.identity(), a.tree()).length;
            TreeCacheFolder cache = open(2 * entryBytes + entryBytes / 2); // room for two

            cache.write(a.identity(), a.tree());
            cache.write(b.identity(), b.tree());
            assertThat(cache.read(a.identity())).isInstanceOf(Lookup.Found.class); // a is now used more recently than b
            cache.write(c.identity(), c.tree());

            assertThat(cache.entryCount()).isEqualTo(2);
            assertThat(cache.bytes()).isLessThanOrEqualTo(2 * entryBytes + entryBytes / 2);
            assertThat(cache.read(b.identity())).isInstanceOf(Lookup.Absent.class);
            assertThat(cache.read(a.identity())).isInstanceOf(Lookup.Found.class);
            assertThat(cache.read(c.identity())).isInstanceOf(Lookup.Found.class);
        }

        @Test
        void aRestartedServerLetsTheEntriesGoInTheOrderOfTheirLastUse() throws IOException {
            Kept a = file("a.bin", 100_000, 8);
            Kept b = file("b.bin", 100_000, 9);
            long entryBytes = TreeCacheFolder.serialize(a.identity(), a.tree()).length;
            TreeCacheFolder first = open(10 * entryBytes);
            first.write(a.identity(), a.tree());
            first.write(b.identity(), b.tree());
            Files.setLastModifiedTime(first.entryOf(b.path()), FileTime.from(Instant.now().minusSeconds(60)));

            TreeCacheFolder second = open(entryBytes + entryBytes / 2); // room for one: the other goes at once

            assertThat(second.entryCount()).isEqualTo(1);
            assertThat(second.read(a.identity())).isInstanceOf(Lookup.Found.class);
            assertThat(second.read(b.identity())).isInstanceOf(Lookup.Absent.class);
        }
    }

    @Nested
    class WhereItMayBe {

        @Test
        void aFolderInsideTheServedFolderIsRefusedAndNotMade() {
            Path inside = served.resolve("sub/.cache");

            assertThatThrownBy(() -> TreeCacheFolder.open(inside, served, 1 << 20))
                    .isInstanceOf(CacheFolderException.class)
                    .hasMessageContaining("inside the served folder");
            assertThat(inside).doesNotExist();
        }

        @Test
        void aFolderThatLeadsIntoTheServedFolderThroughALinkIsRefused() throws IOException {
            Path link = Files.createSymbolicLink(work.resolve("link"), served);

            assertThatThrownBy(() -> TreeCacheFolder.open(link.resolve("cache"), served, 1 << 20))
                    .isInstanceOf(CacheFolderException.class)
                    .hasMessageContaining("inside the served folder");
        }

        @Test
        void aFileInTheWayOfTheFolderIsRefusedWithAReason() throws IOException {
            Path file = Files.writeString(work.resolve("plain"), "x");

            assertThatThrownBy(() -> TreeCacheFolder.open(file, served, 1 << 20))
                    .isInstanceOf(CacheFolderException.class)
                    .hasMessageContaining("cannot make the digest cache folder");
        }

        @Test
        void theDefaultFollowsXdgAndOtherwiseTheHomeFolder() {
            Path home = Path.of("/home/someone");

            assertThat(TreeCacheFolder.defaultFolder(java.util.Map.of("XDG_CACHE_HOME", "/var/cache/me"), home))
                    .isEqualTo(Path.of("/var/cache/me/chunk/digests"));
            assertThat(TreeCacheFolder.defaultFolder(java.util.Map.of(), home)).isEqualTo(Path.of("/home/someone/.cache/chunk/digests"));
            assertThat(TreeCacheFolder.defaultFolder(java.util.Map.of("XDG_CACHE_HOME", "relative"), home))
                    .as("XDG says a relative path is to be ignored").isEqualTo(Path.of("/home/someone/.cache/chunk/digests"));
        }
    }
}
