package dev.eddy.core.auth;

import dev.eddy.core.error.Errors;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * The time a request says it was signed: {@code X-Amz-Date} in ISO-8601 basic format
 * ({@code 20150830T123600Z}), or else the HTTP {@code Date} header (RFC 1123), as SigV4 allows.
 */
public final class RequestTime {
    /** The form SigV4 writes times in, in the string to sign and in AWS's error messages. */
    public static final DateTimeFormatter BASIC = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);

    private RequestTime() {
    }

    /** @param amzDate X-Amz-Date, or null; @param httpDate the Date header, or null */
    public static Instant parse(String amzDate, String httpDate) {
        if (amzDate != null) {
            try {
                return ZonedDateTime.parse(amzDate, BASIC).toInstant();
            } catch (DateTimeParseException e) {
                throw Errors.badRequestDate(amzDate);
            }
        }
        try {
            return ZonedDateTime.parse(httpDate, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw Errors.badRequestDate(httpDate);
        }
    }

    public static String basic(Instant t) {
        return BASIC.format(t);
    }

    /** The YYYYMMDD a credential scope must name for a request signed at {@code t}. */
    public static String day(Instant t) {
        return DAY.format(t);
    }
}
