package chunk.client.net.http;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import org.apache.hc.client5.http.utils.DateUtils;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpResponse;
import org.jspecify.annotations.Nullable;

/**
 * The few header values that ranges depend on (RFC 9110), read strictly: what does not match
 * the grammar is not believed. The client library parses the messages; these are their values.
 */
final class HttpReplies {

    private HttpReplies() {}

    /** A {@code Content-Range} of a {@code 206}: bytes {@code first} to {@code last} inclusive, of a file of {@code size}. */
    record ContentRange(long first, long last, long size) {}

    /** The {@code Content-Range: bytes first-last/size} of {@code response}, or null if it has none or another form. */
    static @Nullable ContentRange contentRange(HttpResponse response) {
        String value = value(response, "Content-Range");
        if (value == null || !value.regionMatches(true, 0, "bytes ", 0, 6)) {
            return null;
        }
        String spec = value.substring(6).strip();
        int dash = spec.indexOf('-');
        int slash = spec.indexOf('/');
        if (dash <= 0 || slash <= dash + 1) {
            return null;
        }
        long first = number(spec.substring(0, dash));
        long last = number(spec.substring(dash + 1, slash));
        long size = number(spec.substring(slash + 1));
        if (first < 0 || last < first || size <= last) {
            return null;
        }
        return new ContentRange(first, last, size);
    }

    /** The size in an unsatisfied range's {@code Content-Range: bytes *}{@code /size} (of a {@code 416}), or -1. */
    static long unsatisfiedSize(HttpResponse response) {
        String value = value(response, "Content-Range");
        if (value == null || !value.regionMatches(true, 0, "bytes */", 0, 8)) {
            return -1;
        }
        return number(value.substring(8).strip());
    }

    /** A decimal count as HTTP writes it (digits only, no sign), or -1. */
    static long number(String text) {
        if (text.isEmpty() || text.length() > 18) {
            return -1;
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return -1;
            }
        }
        return Long.parseLong(text);
    }

    /** {@code Content-Length}, or -1 if absent or not a count. */
    static long contentLength(HttpResponse response) {
        String value = value(response, "Content-Length");
        return value == null ? -1 : number(value.strip());
    }

    /**
     * The strong validator of the representation (RFC 9110, 8.8.1 and 13.1.5): a strong entity
     * tag as sent ({@code "5f3c-1000"}); else a {@code Last-Modified} date that is strong, a
     * second or more before the reply's {@code Date}; else null. This is what {@code If-Range}
     * carries.
     */
    static @Nullable String strongValidator(HttpResponse response) {
        String etag = value(response, "ETag");
        if (etag != null) {
            etag = etag.strip();
            if (etag.length() >= 2 && etag.charAt(0) == '"' && etag.charAt(etag.length() - 1) == '"') {
                return etag;
            }
            return null; // weak (W/"…") or malformed: it cannot go in If-Range
        }
        String modified = value(response, "Last-Modified");
        String date = value(response, "Date");
        if (modified == null || date == null) {
            return null;
        }
        Instant modifiedAt = DateUtils.parseStandardDate(modified);
        Instant sentAt = DateUtils.parseStandardDate(date);
        if (modifiedAt == null || sentAt == null || !modifiedAt.isBefore(sentAt.minusSeconds(1))) {
            return null;
        }
        return modified.strip();
    }

    /** How long a {@code 429} or {@code 503} asks to wait ({@code Retry-After}: seconds or a date), or null if it does not say. */
    static @Nullable Duration retryAfter(HttpResponse response, Instant now) {
        String value = value(response, "Retry-After");
        if (value == null) {
            return null;
        }
        long seconds = number(value.strip());
        if (seconds >= 0) {
            return Duration.ofSeconds(seconds);
        }
        Instant at = DateUtils.parseStandardDate(value.strip());
        return at == null ? null : Duration.between(now, at).isNegative() ? Duration.ZERO : Duration.between(now, at);
    }

    private static @Nullable String value(HttpResponse response, String name) {
        Header header = response.getFirstHeader(name);
        return header == null ? null : header.getValue();
    }

    /** {@code scheme://host:port} of {@code uri}, in lowercase with the default port written out: whose validators compare. */
    static String origin(URI uri) {
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        return scheme + "://" + host + ":" + port;
    }

    /**
     * {@code name} as a path below a folder's URL: each segment percent-encoded as UTF-8 but for
     * the characters RFC 3986 leaves unreserved, the {@code /} between segments kept.
     */
    static String encodedPath(String name) {
        StringBuilder path = new StringBuilder(name.length() + 16);
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_'
                    || c == '~' || c == '/') {
                path.append((char) c);
            } else {
                path.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return path.toString();
    }
}
