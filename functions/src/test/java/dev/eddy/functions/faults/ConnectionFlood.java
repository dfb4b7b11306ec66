package dev.eddy.functions.faults;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The overload of scenario 7, as a process of its own (one process may hold only so many open
 * files): idle connections that never send a byte, and requests whose headers announce a large body
 * (by Content-Length, or chunked) of which only half is ever sent. It holds them for a while, then
 * prints what became of them and ends, closing everything.
 *
 * <p>Arguments: port idleConnections halfSentBodies bodyBytes holdSeconds
 */
public final class ConnectionFlood {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int idle = Integer.parseInt(args[1]);
        int bodies = Integer.parseInt(args[2]);
        long bodyBytes = Long.parseLong(args[3]);
        int holdSeconds = Integer.parseInt(args[4]);
        InetSocketAddress server = new InetSocketAddress("127.0.0.1", port);
        ConcurrentLinkedQueue<Socket> open = new ConcurrentLinkedQueue<>();
        AtomicInteger idleOpened = new AtomicInteger();
        AtomicInteger idleFailed = new AtomicInteger();
        String idleError = null;
        ExecutorService connecting = Executors.newFixedThreadPool(8);
        List<java.util.concurrent.Future<String>> tries = new ArrayList<>();
        for (int i = 0; i < idle; i++) {
            tries.add(connecting.submit(() -> {
                Socket s = new Socket();
                try {
                    s.connect(server, 5_000);
                    open.add(s);
                    idleOpened.incrementAndGet();
                    return null;
                } catch (IOException e) {
                    idleFailed.incrementAndGet();
                    s.close();
                    return e.getMessage();
                }
            }));
        }
        for (var t : tries) {
            String e = t.get();
            if (e != null && idleError == null) {
                idleError = e;
            }
        }
        connecting.shutdown();

        AtomicInteger halfSent = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        ConcurrentLinkedQueue<Socket> bodySockets = new ConcurrentLinkedQueue<>();
        ExecutorService sending = Executors.newFixedThreadPool(Math.max(1, Math.min(bodies, 100)));
        for (int i = 0; i < bodies; i++) {
            boolean chunked = i % 2 == 1;
            sending.execute(() -> {
                try {
                    Socket s = new Socket();
                    bodySockets.add(s);
                    s.connect(server, 5_000);
                    OutputStream out = s.getOutputStream();
                    String head = "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Amz-Target: DynamoDB_20120810.BatchWriteItem\r\n"
                            + "Content-Type: application/x-amz-json-1.0\r\n"
                            + (chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + bodyBytes + "\r\n") + "\r\n";
                    out.write(head.getBytes(StandardCharsets.US_ASCII));
                    byte[] chunk = new byte[64 * 1024];
                    java.util.Arrays.fill(chunk, (byte) ' ');
                    for (long sent = 0; sent < bodyBytes / 2; sent += chunk.length) {
                        if (chunked) {
                            out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                        }
                        out.write(chunk);
                        if (chunked) {
                            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                        }
                    }
                    out.flush();
                    halfSent.incrementAndGet();
                } catch (IOException e) {
                    refused.incrementAndGet(); // the server closed it, or answered and stopped reading
                }
            });
        }
        sending.shutdown();
        long until = System.currentTimeMillis() + holdSeconds * 1000L;
        sending.awaitTermination(Math.max(1, until - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
        long left = until - System.currentTimeMillis();
        if (left > 0) {
            Thread.sleep(left);
        }
        int stillOpen = 0;
        for (Socket s : open) {
            if (isOpen(s)) {
                stillOpen++;
            }
        }
        int stalled = bodies - halfSent.get() - refused.get();
        System.out.printf("FLOOD idle-opened=%d idle-failed=%d idle-still-open=%d bodies-half-sent=%d bodies-refused=%d "
                + "bodies-stalled=%d first-connect-error=%s%n", idleOpened.get(), idleFailed.get(), stillOpen,
                halfSent.get(), refused.get(), stalled, idleError);
        System.out.flush();
        for (Socket s : bodySockets) {
            s.close();
        }
        for (Socket s : open) {
            s.close();
        }
        System.exit(0);
    }

    /** Whether the server still holds the connection open (a read finds neither data nor its end). */
    private static boolean isOpen(Socket s) {
        try {
            s.setSoTimeout(1);
            return s.getInputStream().read() != -1;
        } catch (java.net.SocketTimeoutException nothingYet) {
            return true;
        } catch (IOException closed) {
            return false;
        }
    }
}
