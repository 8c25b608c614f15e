package chunk.client.disk;

import chunk.client.DownloadListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * How a download begins: from its resume record, if there is one that matches the file on the
 * servers and its part file, or else from zero, with the record removed before the part file
 * is emptied (a crash in between must never leave a record that vouches for zeroed bytes).
 */
public final class Resume {

    private Resume() {}

    /** The part file opened for writing, its record file, and what was already done. */
    public record Start(PartFile part, ResumeFile file, ResumeRecord record, Path partPath) {
        public long doneBytes() {
            return record.doneBytes();
        }

        /** This start with {@code done} as the pieces done (those of the record that still check out). */
        public Start withDone(BitSet done) {
            return new Start(part, file, record.withDone(done), partPath);
        }

        /** Closes the part file and the record, keeping both on disk. */
        public void closeKeeping() {
            try {
                part.close();
                file.close();
            } catch (IOException e) {
                // Nothing was being written: there is nothing a failed close could lose.
            }
        }
    }

    /**
     * Prepares the part file for a download of {@code size} bytes named {@code fileName}: keeps
     * its bytes for a record that matches, else empties it and makes a new record.
     *
     * @param part the part file, already claimed: the record beside it is read and written only
     *     while its lock is held
     * @param pieceLength the piece length of a download that starts from zero; a resumed one keeps its record's
     * @param resume whether a matching record may be used
     * @param root the file's root where servers offered digests, else null
     * @param validators the file's version at each origin of its HTTP mirrors (origin to strong validator)
     * @throws IOException if the part file or the record cannot be opened, created or removed
     */
    public static Start begin(String fileName, PartFile part, long size, long pieceLength, byte @Nullable [] root,
            Map<String, String> validators, boolean resume, boolean fsync, DownloadListener listener) throws IOException {
        Path partPath = part.path();
        ResumeFile file = new ResumeFile(partPath);
        ResumeRecord usable = null;
        if (!resume) {
            if (file.exists()) {
                listener.startedOver(fileName, "--no-resume: " + partPath.getFileName() + " is not continued");
            }
        } else {
            String why = switch (file.read()) {
                case ResumeFile.Found.Nothing() -> null;
                case ResumeFile.Found.Damaged(String reason) -> file.path().getFileName() + " cannot be used: " + reason;
                case ResumeFile.Found.Intact(ResumeRecord record) -> {
                    String mismatch = mismatch(record, fileName, partPath, size, root, validators);
                    if (mismatch == null) {
                        usable = record;
                    }
                    yield mismatch;
                }
            };
            if (why != null) {
                listener.startedOver(fileName, why);
            }
        }
        ResumeRecord record;
        if (usable != null) {
            // A record made without a root takes the one the servers give now, and the versions of
            // the HTTP mirrors that answered now join those it had.
            Map<String, String> known = new TreeMap<>(usable.validators());
            known.putAll(validators);
            record = new ResumeRecord(size, usable.pieceLength(), usable.root() != null ? usable.root() : root, fileName,
                    usable.done(), known);
            part.size(size);
        } else {
            file.delete();
            if (fsync) {
                PartFile.syncFolder(file.path());
            }
            part.empty();
            part.size(size);
            record = new ResumeRecord(size, (int) pieceLength, root, fileName, new BitSet(), validators);
            // Now, while there is room: later saves overwrite it in place and need none.
            file.create(record, fsync);
        }
        return new Start(part, file, record, partPath);
    }

    /** Why {@code record} is not of this download, or null if it is. */
    private static @Nullable String mismatch(ResumeRecord record, String fileName, Path partPath, long size,
            byte @Nullable [] root, Map<String, String> validators) throws IOException {
        String recordName = partPath.getFileName() + ".resume";
        if (!record.name().equals(fileName)) {
            return recordName + " is of '" + record.name() + "', not of '" + fileName + "'";
        }
        if (record.size() != size) {
            return "the file on the servers changed: it has " + size + " bytes, " + recordName + " was made for "
                    + record.size();
        }
        byte[] recorded = record.root();
        if (root != null && recorded != null && !java.util.Arrays.equals(root, recorded)) {
            return "the file on the servers changed: its root is not the one in " + recordName;
        }
        for (var entry : validators.entrySet()) {
            String recordedVersion = record.validators().get(entry.getKey());
            if (recordedVersion != null && !recordedVersion.equals(entry.getValue())) {
                return "the file on the servers changed: " + entry.getKey() + " has version " + entry.getValue() + ", "
                        + recordName + " was made for " + recordedVersion;
            }
        }
        long partSize = Files.size(partPath);
        // Claiming the part file creates it, so a part file that was deleted is now an empty one.
        if (partSize == 0 && size > 0) {
            return partPath.getFileName() + " is missing or empty, " + recordName + " has nothing to continue";
        }
        if (partSize != size) {
            return partPath.getFileName() + " has " + partSize + " bytes, not the " + size + " " + recordName + " expects";
        }
        return null;
    }
}
