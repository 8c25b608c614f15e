package chunk.client;

import org.jspecify.annotations.Nullable;

/**
 * How the bytes of a download were checked.
 *
 * @param status whether every piece was checked
 * @param root the file's root at 1 MiB pieces in lowercase hex (the value {@code --root} takes),
 *     or null when no server gave digests
 * @param pieceLength the length of the pieces that were checked (and fetched), in bytes
 * @param sha256 the whole file's SHA-256 in lowercase hex when it was checked ({@code --sha256}), else null
 */
public record Verification(Status status, @Nullable String root, long pieceLength, @Nullable String sha256) {

    /** Whether the bytes were checked. */
    public enum Status {
        /** Every piece matched the digests the servers agreed on. */
        VERIFIED,
        /** No server gave digests: the bytes are as the servers sent them. */
        UNVERIFIED,
        /** Checking was turned off ({@code --no-verify}). */
        OFF;

        /** The word for it in summaries and JSON: {@code verified}, {@code unverified}, {@code off}. */
        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
