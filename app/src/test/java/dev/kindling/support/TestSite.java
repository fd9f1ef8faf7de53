package dev.kindling.support;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A customer's plain HTML site on its own origin ({@code http://127.0.0.1:<port>}), served by the test: every page
 * carries Kindling's tracking script, so a browser visiting it gets the {@code kindling_vid} cookie like a real site's
 * visitor. Close it after the test.
 */
public final class TestSite implements AutoCloseable {

    private final HttpServer server;
    private final String kindling;

    private TestSite(HttpServer server, String kindling) {
        this.server = server;
        this.kindling = kindling;
    }

    /** A site whose pages load the tracking script of the app on {@code kindlingPort}. */
    public static TestSite start(int kindlingPort) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.start();
            return new TestSite(server, "http://localhost:" + kindlingPort);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The app's own base URL as the site's pages name it (embed code is rewritten to it). */
    public String kindling() {
        return kindling;
    }

    /** Serves a page with this body (and the tracking script) at {@code path}; returns its URL. */
    public String page(String path, String body) {
        String html = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>" + path + "</title>"
                + "<script async src=\"" + kindling + "/t/kindling.js\"></script></head><body><h1>Example Co</h1>"
                + body + "</body></html>";
        server.createContext(path, exchange -> {
            byte[] bytes = html.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
