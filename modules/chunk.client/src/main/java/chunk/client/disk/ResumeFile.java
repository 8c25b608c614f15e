package chunk.client.disk;

import chunk.client.text.IoFailures;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;
import org.jspecify.annotations.Nullable;

/**
 * The file {@code <name>.part.resume} beside the part file, holding a {@link ResumeRecord}.
 *
 * <p>It has two slots, each on pages of its own, and saves alternate between them: a save
 * overwrites the older slot in place and flushes it, so a crash at any moment leaves the
 * newer intact slot (the old record) or the one just written (the new record), never only a
 * torn one. Each slot carries a sequence number and a CRC32C over it and the record; the
 * reader takes the intact slot with the higher number.
 *
 * <p>Why not a temporary file renamed over the record on every save: a save then needs a new
 * block of the disk, and a full disk is exactly when the last save matters (measured: on a
 * full tmpfs every such save failed, and the download kept nothing). The slots are written
 * once, with room to spare, when the download begins (by a temporary file renamed into place,
 * so even the first record appears whole); after that a save allocates nothing. It is also
 * one {@code pwrite} and one {@code fdatasync} instead of four system calls and two flushes
 * (docs/BENCHMARKS.md, resume).
 */
public final class ResumeFile implements AutoCloseable {

    /** Larger than any record of a file with at most 16384 pieces (ChunkPlanner.MAX_PIECES). */
    private static final long MAX_FILE_BYTES = 1 << 20;
    private static final int PAGE = 4096;
    /** Sequence number, record length, the record, CRC32C. */
    private static final int SLOT_OVERHEAD = 8 + 4 + 4;

    private final Path path;
    private final Path temporary;
    private @Nullable FileChannel channel;
    private long sequence;
    private int slotSize;

    public ResumeFile(Path partFile) {
        this.path = partFile.resolveSibling(partFile.getFileName() + ".resume");
        this.temporary = partFile.resolveSibling(partFile.getFileName() + ".resume.new");
    }

    public Path path() {
        return path;
    }

    /** What reading the record found. */
    public sealed interface Found {
        /** There is no record. */
        record Nothing() implements Found {}

        /** An intact record. */
        record Intact(ResumeRecord record) implements Found {}

        /** A file that is not a record that can be believed, and why. */
        record Damaged(String reason) implements Found {}
    }

    /** Reads the newer intact slot; a later {@link #write} continues from it. */
    public Found read() {
        byte[] bytes;
        try {
            if (!Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
                return Files.exists(path, LinkOption.NOFOLLOW_LINKS) ? new Found.Damaged("it is not a regular file")
                        : new Found.Nothing();
            }
            if (Files.size(path) > MAX_FILE_BYTES) {
                return new Found.Damaged("it is far too large to be a record");
            }
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            return new Found.Nothing();
        } catch (IOException e) {
            return new Found.Damaged("it cannot be read: " + IoFailures.explain(e));
        }
        if (bytes.length == 0) {
            return new Found.Damaged("it is empty");
        }
        if (bytes.length % (2 * PAGE) != 0) {
            return new Found.Damaged("it is cut short or too long (" + bytes.length + " bytes)");
        }
        int size = bytes.length / 2;
        Slot first = slot(bytes, 0, size);
        Slot second = slot(bytes, size, size);
        Slot newer = first.record != null && (second.record == null || first.sequence > second.sequence) ? first : second;
        if (newer.record == null) {
            return new Found.Damaged(first.problem);
        }
        this.sequence = newer.sequence;
        this.slotSize = size;
        return new Found.Intact(newer.record);
    }

    private record Slot(long sequence, @Nullable ResumeRecord record, String problem) {}

    private static Slot slot(byte[] bytes, int offset, int size) {
        ByteBuffer in = ByteBuffer.wrap(bytes, offset, size).order(ByteOrder.LITTLE_ENDIAN);
        long sequence = in.getLong();
        int length = in.getInt();
        if (length < 0 || length > size - SLOT_OVERHEAD) {
            return new Slot(sequence, null, "its slots are damaged");
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, 12 + length);
        int stored = ByteBuffer.wrap(bytes, offset + 12 + length, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        if (stored != (int) crc.getValue()) {
            return new Slot(sequence, null, "its checksum does not match (damaged or cut short)");
        }
        try {
            return new Slot(sequence, ResumeRecord.decode(java.util.Arrays.copyOfRange(bytes, offset + 12, offset + 12 + length)), "");
        } catch (ResumeRecord.DamagedException e) {
            return new Slot(sequence, null, e.getMessage());
        }
    }

    /**
     * Makes a new record file holding {@code record} in both slots, with room for every later
     * save of this download: written under a temporary name and renamed into place.
     *
     * @throws IOException if it cannot be written; any record there before is then as it was
     */
    void create(ResumeRecord record, boolean fsync) throws IOException {
        close();
        byte[] encoded = record.encode();
        slotSize = (encoded.length + SLOT_OVERHEAD + PAGE - 1) / PAGE * PAGE;
        sequence = 1;
        ByteBuffer both = ByteBuffer.allocate(2 * slotSize);
        both.put(slotBytes(1, encoded)).position(slotSize).put(slotBytes(0, encoded)).clear();
        try (FileChannel out = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS)) {
            while (both.hasRemaining()) {
                out.write(both);
            }
            if (fsync) {
                out.force(false);
            }
        } catch (IOException e) {
            Files.deleteIfExists(temporary);
            throw e;
        }
        Files.move(temporary, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        if (fsync) {
            PartFile.syncFolder(path);
        }
    }

    private ByteBuffer slotBytes(long number, byte[] encoded) {
        ByteBuffer slot = ByteBuffer.allocate(12 + encoded.length + 4).order(ByteOrder.LITTLE_ENDIAN);
        slot.putLong(number).putInt(encoded.length).put(encoded);
        CRC32C crc = new CRC32C();
        crc.update(slot.array(), 0, slot.position());
        slot.putInt((int) crc.getValue());
        return slot.flip();
    }

    /**
     * Saves {@code record} over the older slot, in place; durably if {@code fsync}. Call
     * {@link #read} (for a record found) or {@link #create} first.
     *
     * @throws IOException if it cannot be written; the newer slot still holds the previous record
     */
    void write(ResumeRecord record, boolean fsync) throws IOException {
        byte[] encoded = record.encode();
        if (slotSize == 0 || encoded.length + SLOT_OVERHEAD > slotSize) {
            create(record, fsync);
            return;
        }
        if (channel == null) {
            channel = FileChannel.open(path, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        }
        long next = sequence + 1;
        ByteBuffer slot = slotBytes(next, encoded);
        long at = (next % 2 == 1 ? 0 : 1) * (long) slotSize;
        while (slot.hasRemaining()) {
            at += channel.write(slot, at);
        }
        if (fsync) {
            channel.force(false);
        }
        sequence = next;
    }

    /** Removes the record (and a temporary one a crash may have left). */
    public void delete() throws IOException {
        close();
        Files.deleteIfExists(temporary);
        Files.deleteIfExists(path);
    }

    /** Whether a record file is there, intact or not. */
    boolean exists() {
        return Files.exists(path, LinkOption.NOFOLLOW_LINKS);
    }

    @Override
    public void close() throws IOException {
        FileChannel open = channel;
        channel = null;
        if (open != null) {
            open.close();
        }
    }
}
