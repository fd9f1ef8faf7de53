package dev.kindling.bench.capture;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * W10's load generator's HTTP: one HTTP/1.1 connection at a time from a given local address, a whole request written
 * with one {@code write}, the answer read to its end (status line, headers, the body by {@code Content-Length} or
 * chunks, or to the close) and discarded. It keeps the connection between requests and opens a new one when the
 * server said {@code Connection: close} or closed it. Real HTTP over real sockets, as the app sees from browsers; what
 * it leaves out of the JDK's {@code HttpClient} (a selector thread and an executor per client, futures and
 * publishers per request) is what made the load generator, sharing the machine's cores with the app and PostgreSQL, a
 * large part of the CPU spent per request (docs/benchmarks.md, W10). Not thread-safe: one per client thread.
 */
final class LoopbackHttp implements Closeable {

    /** A request failed at the HTTP level: no answer, or one that is not HTTP/1.x. */
    static final class Malformed extends IOException {
        Malformed(String message) {
            super(message);
        }
    }

    private final InetAddress local;
    private final InetSocketAddress server;
    private final int timeoutMillis;
    private final byte[] buffer = new byte[16 * 1024];
    private int start;
    private int end;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private long connections;

    LoopbackHttp(InetAddress local, InetSocketAddress server, Duration timeout) {
        this.local = local;
        this.server = server;
        this.timeoutMillis = Math.toIntExact(timeout.toMillis());
    }

    /** The head of a request to this server: request line, {@code Host}, the given headers, the body's length. */
    String head(String method, String path, String headers, int contentLength) {
        return method + " " + path + " HTTP/1.1\r\nHost: " + server.getHostString() + ":" + server.getPort() + "\r\n"
                + headers + "Content-Length: " + contentLength + "\r\n\r\n";
    }

    /** A whole request: {@link #head} and the body, UTF-8. */
    byte[] request(String method, String path, String headers, String body) {
        byte[] content = body.getBytes(StandardCharsets.UTF_8);
        byte[] top = head(method, path, headers, content.length).getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[top.length + content.length];
        System.arraycopy(top, 0, all, 0, top.length);
        System.arraycopy(content, 0, all, top.length, content.length);
        return all;
    }

    /** Sends the request (bytes of {@link #request}) and reads the whole answer; returns its status. */
    int send(byte[] request) throws IOException {
        if (socket == null) {
            connect();
        }
        try {
            out.write(request);
            out.flush();
            return readResponse();
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Connections opened so far (the server closes keep-alive connections after so many requests). */
    long connections() {
        return connections;
    }

    private void connect() throws IOException {
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.bind(new InetSocketAddress(local, 0));
            s.connect(server, timeoutMillis);
            s.setSoTimeout(timeoutMillis);
        } catch (IOException e) {
            s.close();
            throw e;
        }
        socket = s;
        in = s.getInputStream();
        out = s.getOutputStream();
        start = 0;
        end = 0;
        connections++;
    }

    private int readResponse() throws IOException {
        int status;
        boolean keepAlive;
        long length = -1;
        boolean chunked = false;
        // a 1xx answer is followed by the real one
        do {
            String statusLine = line();
            if (statusLine == null) {
                throw new EOFException("the connection closed before an answer");
            }
            if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12) {
                throw new Malformed("not an HTTP/1.x status line: " + statusLine);
            }
            status = Integer.parseInt(statusLine.substring(9, 12));
            keepAlive = statusLine.startsWith("HTTP/1.1");
            for (String header; !(header = required(line())).isEmpty(); ) {
                int colon = header.indexOf(':');
                if (colon <= 0) {
                    throw new Malformed("not a header: " + header);
                }
                String name = header.substring(0, colon).trim();
                String value = header.substring(colon + 1).trim();
                if (name.equalsIgnoreCase("Content-Length")) {
                    length = Long.parseLong(value);
                } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
                    chunked = value.toLowerCase(java.util.Locale.ROOT).endsWith("chunked");
                } else if (name.equalsIgnoreCase("Connection")) {
                    String v = value.toLowerCase(java.util.Locale.ROOT);
                    if (v.contains("close")) {
                        keepAlive = false;
                    } else if (v.contains("keep-alive")) {
                        keepAlive = true;
                    }
                }
            }
        } while (status >= 100 && status < 200);
        if (status == 204 || status == 304) {
            // no body, whatever the headers say
        } else if (chunked) {
            for (long size; (size = Long.parseLong(chunkSize(required(line())), 16)) > 0; ) {
                skip(size);
                required(line());
            }
            while (!required(line()).isEmpty()) {
                // trailers
            }
        } else if (length >= 0) {
            skip(length);
        } else {
            // delimited by the close
            while (fill()) {
                start = end;
            }
            keepAlive = false;
        }
        if (!keepAlive) {
            close();
        }
        return status;
    }

    private static String chunkSize(String line) {
        int ext = line.indexOf(';');
        return (ext < 0 ? line : line.substring(0, ext)).trim();
    }

    private static String required(String line) throws EOFException {
        if (line == null) {
            throw new EOFException("the connection closed in the middle of an answer");
        }
        return line;
    }

    /** The next line without its CRLF (or LF), or null at the end of the stream before any byte of it. */
    private String line() throws IOException {
        StringBuilder line = null;
        while (true) {
            for (int i = start; i < end; i++) {
                if (buffer[i] == '\n') {
                    int stop = i > start && buffer[i - 1] == '\r' ? i - 1 : i;
                    String part = new String(buffer, start, stop - start, StandardCharsets.ISO_8859_1);
                    start = i + 1;
                    if (line == null) {
                        return part;
                    }
                    line.append(part);
                    int n = line.length();
                    return n > 0 && line.charAt(n - 1) == '\r' ? line.substring(0, n - 1) : line.toString();
                }
            }
            if (start < end) {
                if (line == null) {
                    line = new StringBuilder();
                }
                line.append(new String(buffer, start, end - start, StandardCharsets.ISO_8859_1));
                start = end;
            }
            if (!fill()) {
                if (line == null) {
                    return null;
                }
                throw new EOFException("the connection closed in the middle of a line");
            }
        }
    }

    private void skip(long n) throws IOException {
        while (n > 0) {
            if (start == end && !fill()) {
                throw new EOFException("the connection closed in the middle of a body");
            }
            int step = (int) Math.min(n, end - start);
            start += step;
            n -= step;
        }
    }

    /** Reads more into the buffer (which holds nothing unread); false at the end of the stream. */
    private boolean fill() throws IOException {
        if (start == end) {
            start = 0;
            end = 0;
        }
        int read = in.read(buffer, end, buffer.length - end);
        if (read < 0) {
            return false;
        }
        end += read;
        return true;
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing: nothing to do
            }
            socket = null;
            in = null;
            out = null;
            start = 0;
            end = 0;
        }
    }
}
