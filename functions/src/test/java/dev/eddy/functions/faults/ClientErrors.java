package dev.eddy.functions.faults;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * What clients saw go wrong, by type, with when it happened, so a scenario can count the errors of
 * its fault's window. A type is DynamoDB's error code with the HTTP status, the cancellation reasons
 * of a transaction, or what the connection did (refused, timed out, reset).
 */
final class ClientErrors {
    private record Seen(long atMillis, String type) {
    }

    private final ConcurrentLinkedQueue<Seen> seen = new ConcurrentLinkedQueue<>();
    private final Map<String, LongAdder> total = new ConcurrentHashMap<>();

    String record(Throwable e) {
        String type = typeOf(e);
        seen.add(new Seen(System.currentTimeMillis(), type));
        total.computeIfAbsent(type, t -> new LongAdder()).increment();
        return type;
    }

    /** Errors by type between two instants (System.currentTimeMillis). */
    Map<String, Long> between(long fromMillis, long toMillis) {
        Map<String, Long> out = new TreeMap<>();
        for (Seen s : seen) {
            if (s.atMillis() >= fromMillis && s.atMillis() <= toMillis) {
                out.merge(s.type(), 1L, Long::sum);
            }
        }
        return out;
    }

    /** The last error at or after {@code fromMillis}, or -1. */
    long lastAfter(long fromMillis) {
        long last = -1;
        for (Seen s : seen) {
            if (s.atMillis() >= fromMillis && !s.type().startsWith("TransactionCanceled")) {
                last = Math.max(last, s.atMillis());
            }
        }
        return last;
    }

    static String typeOf(Throwable e) {
        if (e instanceof TransactionCanceledException t) {
            return "TransactionCanceled" + t.cancellationReasons().stream().map(r -> r.code())
                    .filter(c -> !"None".equals(c)).distinct().sorted().toList();
        }
        if (e instanceof DynamoDbException d && d.awsErrorDetails() != null) {
            String message = d.awsErrorDetails().errorMessage();
            // eddy.requests.timeout's refusal, told apart so a run shows whether a request met the limit
            String past = message != null && message.contains("did not get to its change") ? ", past its time" : "";
            return d.awsErrorDetails().errorCode() + " (" + d.statusCode() + past + ")";
        }
        if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException) {
            return "client timeout";
        }
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof ConnectException) {
                return "connection refused";
            }
            if (c instanceof SocketTimeoutException) {
                return "client timeout";
            }
            if (c instanceof java.net.SocketException || c instanceof java.io.EOFException) {
                return "connection reset";
            }
        }
        return e.getClass().getSimpleName();
    }

    /** Whether the request certainly did not reach Eddy (so it was not applied and may go elsewhere). */
    static boolean neverSent(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof ConnectException) {
                return true;
            }
        }
        return false;
    }

    static String format(Map<String, Long> errors) {
        if (errors.isEmpty()) {
            return "none";
        }
        StringBuilder b = new StringBuilder();
        errors.forEach((type, n) -> b.append(b.length() == 0 ? "" : ", ").append(type).append(": ").append(n));
        return b.toString();
    }
}
