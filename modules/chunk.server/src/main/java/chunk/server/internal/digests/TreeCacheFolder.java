package chunk.server.internal.digests;

import chunk.wire.Digest;
import chunk.wire.tree.DigestTree;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/**
 * Digest trees kept on disk, so that a restarted server answers for an unchanged file at once.
 * One file per served file, named by the SHA-256 of its real path, holding the file's
 * {@link FileIdentity}, its tree's kept layer and root, and a SHA-256 of all that.
 *
 * <ul>
 * <li><b>Written atomically:</b> to a hidden temporary name in the folder, then renamed over the
 *     entry, so a reader sees the old entry or the new one, never half of one. Not flushed to
 *     disk: an entry cut short by a crash fails its checksum and the file is hashed again.
 * <li><b>Checked when read, never trusted:</b> an entry cut short or damaged (its checksum, its
 *     format, its root recomputed from its layer), one of another file (path, device, inode) or of
 *     another version (size, modification or change time) is not used; the file is hashed again
 *     and the entry replaced. Anyone who can write this folder can also write the served files,
 *     so the checksum guards against accidents, not against an attacker.
 * <li><b>Bounded:</b> at most {@code maxBytes} of entries; past it the least recently used go
 *     (used = written or read by this server; at start, the entries' modification times, which
 *     each use sets, give the order). Several servers may share a folder; each keeps its own
 *     count, so together they may pass the bound by what each adds before it sees the others.
 * </ul>
 */
public final class TreeCacheFolder {

    private static final System.Logger LOG = System.getLogger("chunk.server");

    static final String SUFFIX = ".tree";
    private static final String TEMPORARY_PREFIX = ".writing-";
    /** "chunkDT" and a newline: a file of something else fails here before anything else is read. */
    private static final byte[] MAGIC = "chunkDT\n".getBytes(StandardCharsets.US_ASCII);
    /** The layout below; another number is another program's entry, read as damaged. */
    static final int FORMAT = 1;
    /** Magic, format, layer height, size, device, inode, two times, the path's length. */
    private static final int FIXED_HEADER_BYTES = 8 + 4 + 4 + 8 + 8 + 8 + 8 + 8 + 4;
    /** A path longer than this is not Linux's: the entry is damaged. */
    private static final int MAX_PATH_BYTES = 64 * 1024;
    /** No entry is larger: the largest layer a pass keeps, and the rest. */
    static final long MAX_ENTRY_BYTES = FIXED_HEADER_BYTES + MAX_PATH_BYTES + 2L * Digest.BYTES + TreePass.MAX_LAYER_BYTES;
    /** A temporary file this old was left by a writer that died: removed at start. */
    private static final Duration ABANDONED = Duration.ofMinutes(10);

    /** What a look for an entry found. */
    public sealed interface Lookup {
        /** A sound entry of this very version. */
        record Found(DigestTree tree) implements Lookup {}

        /** No entry for this path. */
        record Absent() implements Lookup {}

        /** An entry that is not used, and why. */
        record Refused(Why why, String detail) implements Lookup {}
    }

    /** Why an entry is not used. */
    public enum Why {
        /** Cut short, bit-flipped, of another format, or its layer does not give its root. */
        DAMAGED,
        /** Of another file: another path, device or inode. */
        FOREIGN,
        /** Of another version of this file: another size, modification or change time. */
        STALE
    }

    private final Path folder;
    private final long maxBytes;
    /** Entry names and sizes, least recently used first. Guarded by itself. */
    private final LinkedHashMap<String, Long> entries = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;

    private TreeCacheFolder(Path folder, long maxBytes) {
        this.folder = folder;
        this.maxBytes = maxBytes;
    }

    /**
     * Opens the folder, making it if needed, and counts what it holds. A folder inside the served
     * folder is refused: the server would serve (or hash) its own cache, and a client could read
     * which files it has hashed.
     *
     * @param servedRoot the served folder, links resolved
     * @param maxBytes the most its entries may take, at least 1
     * @throws CacheFolderException if the folder is inside the served one, or cannot be made, listed or written to
     */
    public static TreeCacheFolder open(Path folder, Path servedRoot, long maxBytes) throws CacheFolderException {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("a cache needs room, not " + maxBytes + " bytes");
        }
        // Lexically first, so that a folder inside the served one is never even made there.
        if (folder.toAbsolutePath().normalize().startsWith(servedRoot)) {
            throw new CacheFolderException("the digest cache folder " + folder + " is inside the served folder "
                    + servedRoot, null);
        }
        Path real;
        try {
            Files.createDirectories(folder);
            real = folder.toRealPath();
        } catch (IOException e) {
            throw new CacheFolderException("cannot make the digest cache folder " + folder + ": " + reason(e), e);
        }
        if (real.startsWith(servedRoot)) {
            throw new CacheFolderException("the digest cache folder " + folder + " is inside the served folder "
                    + servedRoot + " (it is " + real + ")", null);
        }
        if (!Files.isWritable(real)) {
            throw new CacheFolderException("cannot write to the digest cache folder " + folder, null);
        }
        TreeCacheFolder cache = new TreeCacheFolder(real, maxBytes);
        try {
            cache.count();
        } catch (IOException e) {
            throw new CacheFolderException("cannot list the digest cache folder " + folder + ": " + reason(e), e);
        }
        return cache;
    }

    /** An I/O failure in a few words: the JDK's messages for files are often just the path. */
    private static String reason(IOException e) {
        return switch (e) {
            case java.nio.file.AccessDeniedException _ -> "permission denied";
            case java.nio.file.FileAlreadyExistsException _ -> "a file of that name is in the way";
            case java.nio.file.FileSystemException fs when fs.getReason() != null -> fs.getReason();
            default -> String.valueOf(e.getMessage());
        };
    }

    /**
     * The default folder: {@code $XDG_CACHE_HOME/chunk/digests}, or {@code ~/.cache/chunk/digests}
     * where that variable is not set (the XDG base directory rule).
     *
     * @param environment the process's environment
     * @param home the user's home folder
     */
    public static Path defaultFolder(Map<String, String> environment, Path home) {
        String xdg = environment.get("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isEmpty() && Path.of(xdg).isAbsolute() ? Path.of(xdg) : home.resolve(".cache");
        return base.resolve("chunk").resolve("digests");
    }

    /** The folder, with its links resolved. */
    public Path folder() {
        return folder;
    }

    /** What the entries take now, as this server counts them. */
    public long bytes() {
        synchronized (entries) {
            return bytes;
        }
    }

    /** How many entries this server counts now. */
    public int entryCount() {
        synchronized (entries) {
            return entries.size();
        }
    }

    /** The entry of the file at {@code path}, for tests that damage it. */
    Path entryOf(Path path) {
        return folder.resolve(nameOf(path));
    }

    /** The tree kept for the version {@code identity} names, checked; a refused entry is deleted. */
    public Lookup read(FileIdentity identity) {
        String name = nameOf(identity.path());
        Path entry = folder.resolve(name);
        byte[] bytes;
        try {
            long length = Files.size(entry);
            if (length > MAX_ENTRY_BYTES) {
                return refuse(name, Why.DAMAGED, length + " bytes, more than any entry");
            }
            bytes = Files.readAllBytes(entry);
        } catch (NoSuchFileException e) {
            forget(name);
            return new Lookup.Absent();
        } catch (IOException e) {
            return refuse(name, Why.DAMAGED, "cannot be read: " + e);
        }
        Lookup lookup = parse(bytes, identity);
        if (lookup instanceof Lookup.Refused(Why why, String detail)) {
            return refuse(name, why, detail);
        }
        used(name, entry, bytes.length);
        return lookup;
    }

    /** Keeps {@code tree} as the tree of {@code identity}'s version, replacing any entry of the path; failures are logged, not thrown. */
    public void write(FileIdentity identity, DigestTree tree) {
        String name = nameOf(identity.path());
        byte[] bytes = serialize(identity, tree);
        if (bytes.length > maxBytes) {
            LOG.log(Level.DEBUG, () -> "the tree of " + identity.path() + " (" + bytes.length + " bytes) is larger than the cache");
            return;
        }
        Path temporary = folder.resolve(TEMPORARY_PREFIX + name + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        try {
            try {
                Files.write(temporary, bytes);
                Files.move(temporary, folder.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot keep the digests of " + identity.path() + " in " + folder + ": " + e
                    + "; they stay in memory only");
            return;
        }
        added(name, bytes.length);
    }

    private static String nameOf(Path path) {
        return Digest.of(path.toString().getBytes(StandardCharsets.UTF_8)).hex() + SUFFIX;
    }

    static byte[] serialize(FileIdentity identity, DigestTree tree) {
        byte[] path = identity.path().toString().getBytes(StandardCharsets.UTF_8);
        int length = FIXED_HEADER_BYTES + path.length + Digest.BYTES + tree.layerBytes() + Digest.BYTES;
        ByteBuffer out = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN)
                .put(MAGIC)
                .putInt(FORMAT)
                .putInt(tree.layerHeight())
                .putLong(identity.size())
                .putLong(identity.device())
                .putLong(identity.inode())
                .putLong(identity.modifiedNanos())
                .putLong(identity.changedNanos())
                .putInt(path.length)
                .put(path)
                .put(tree.root().bytes())
                .put(tree.layer());
        MessageDigest sha256 = Digest.newSha256();
        sha256.update(out.array(), 0, out.position());
        out.put(sha256.digest());
        return out.array();
    }

    /** The entry's tree if it is sound and of this version; the checksum first, so that nothing damaged is believed. */
    static Lookup parse(byte[] bytes, FileIdentity identity) {
        if (bytes.length < FIXED_HEADER_BYTES + 2 * Digest.BYTES) {
            return new Lookup.Refused(Why.DAMAGED, "cut short at " + bytes.length + " bytes");
        }
        MessageDigest sha256 = Digest.newSha256();
        sha256.update(bytes, 0, bytes.length - Digest.BYTES);
        if (!MessageDigest.isEqual(sha256.digest(), Arrays.copyOfRange(bytes, bytes.length - Digest.BYTES, bytes.length))) {
            return new Lookup.Refused(Why.DAMAGED, "its checksum does not match");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes, 0, bytes.length - Digest.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        byte[] magic = new byte[MAGIC.length];
        in.get(magic);
        int format = in.getInt();
        if (!Arrays.equals(magic, MAGIC) || format != FORMAT) {
            return new Lookup.Refused(Why.DAMAGED, "not an entry of format " + FORMAT);
        }
        int layerHeight = in.getInt();
        FileIdentity kept = readIdentity(in);
        if (kept == null) {
            return new Lookup.Refused(Why.DAMAGED, "its path is not readable");
        }
        if (!kept.path().equals(identity.path()) || kept.device() != identity.device() || kept.inode() != identity.inode()) {
            return new Lookup.Refused(Why.FOREIGN, "of " + kept.path() + " (device " + kept.device() + ", inode " + kept.inode() + ")");
        }
        if (!kept.equals(identity)) {
            return new Lookup.Refused(Why.STALE, "of another version (" + kept.size() + " bytes, modified "
                    + Instant.EPOCH.plusNanos(kept.modifiedNanos()) + ")");
        }
        byte[] root = new byte[Digest.BYTES];
        in.get(root);
        byte[] layer = new byte[in.remaining()];
        in.get(layer);
        DigestTree tree;
        try {
            tree = DigestTree.fromLayer(kept.size(), layerHeight, layer);
        } catch (IllegalArgumentException e) {
            return new Lookup.Refused(Why.DAMAGED, e.getMessage());
        }
        if (!tree.root().equals(new Digest(root))) {
            return new Lookup.Refused(Why.DAMAGED, "its layer does not give its root");
        }
        return new Lookup.Found(tree);
    }

    private static @Nullable FileIdentity readIdentity(ByteBuffer in) {
        long size = in.getLong();
        long device = in.getLong();
        long inode = in.getLong();
        long modified = in.getLong();
        long changed = in.getLong();
        int pathBytes = in.getInt();
        if (pathBytes < 1 || pathBytes > Math.min(MAX_PATH_BYTES, in.remaining() - Digest.BYTES) || size < 0) {
            return null;
        }
        byte[] path = new byte[pathBytes];
        in.get(path);
        try {
            return new FileIdentity(Path.of(new String(path, StandardCharsets.UTF_8)), device, inode, size, modified, changed);
        } catch (InvalidPathException e) {
            return null;
        }
    }

    private Lookup.Refused refuse(String name, Why why, String detail) {
        LOG.log(Level.DEBUG, () -> "digest cache entry " + name + " not used (" + why.name().toLowerCase(Locale.ROOT)
                + "): " + detail + "; the file is hashed again");
        try {
            Files.deleteIfExists(folder.resolve(name));
        } catch (IOException e) {
            LOG.log(Level.DEBUG, () -> "cannot remove " + name + ": " + e);
        }
        forget(name);
        return new Lookup.Refused(why, detail);
    }

    /** Lists the entries, oldest use first, and removes what dead writers left. */
    private void count() throws IOException {
        record Entry(String name, long size, FileTime used) {}
        List<Entry> found = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(folder)) {
            for (Path path : stream) {
                String name = path.getFileName().toString();
                try {
                    if (name.endsWith(SUFFIX) && !name.startsWith(".")) {
                        found.add(new Entry(name, Files.size(path), Files.getLastModifiedTime(path)));
                    } else if (name.startsWith(TEMPORARY_PREFIX)
                            && Files.getLastModifiedTime(path).toInstant().isBefore(Instant.now().minus(ABANDONED))) {
                        Files.deleteIfExists(path);
                    }
                } catch (NoSuchFileException e) {
                    // Removed meanwhile by another server sharing the folder.
                }
            }
        }
        found.sort(Comparator.comparing(Entry::used));
        synchronized (entries) {
            for (Entry entry : found) {
                entries.put(entry.name(), entry.size());
                bytes += entry.size();
            }
        }
        evict(null);
    }

    private void used(String name, Path entry, long size) {
        synchronized (entries) {
            Long old = entries.put(name, size);
            bytes += size - (old == null ? 0 : old);
        }
        try {
            // For the next start's order: the modification time of an entry is its last use.
            Files.setLastModifiedTime(entry, FileTime.from(Instant.now()));
        } catch (IOException e) {
            LOG.log(Level.DEBUG, () -> "cannot mark " + name + " as used: " + e);
        }
    }

    private void added(String name, long size) {
        synchronized (entries) {
            Long old = entries.put(name, size);
            bytes += size - (old == null ? 0 : old);
        }
        evict(name);
    }

    private void forget(String name) {
        synchronized (entries) {
            Long old = entries.remove(name);
            bytes -= old == null ? 0 : old;
        }
    }

    /** Removes the least recently used entries until the rest fit, never {@code keep}. */
    private void evict(@Nullable String keep) {
        List<String> out = new ArrayList<>();
        synchronized (entries) {
            Iterator<Map.Entry<String, Long>> eldest = entries.entrySet().iterator();
            while (bytes > maxBytes && eldest.hasNext()) {
                Map.Entry<String, Long> entry = eldest.next();
                if (!entry.getKey().equals(keep)) {
                    out.add(entry.getKey());
                    bytes -= entry.getValue();
                    eldest.remove();
                }
            }
        }
        for (String name : out) {
            try {
                Files.deleteIfExists(folder.resolve(name));
            } catch (IOException e) {
                LOG.log(Level.DEBUG, () -> "cannot remove " + name + " from the digest cache: " + e);
            }
        }
    }

    @Override
    public String toString() {
        return "TreeCacheFolder[" + folder + ", " + entryCount() + " entries, " + bytes() + " of " + maxBytes + " bytes]";
    }
}
