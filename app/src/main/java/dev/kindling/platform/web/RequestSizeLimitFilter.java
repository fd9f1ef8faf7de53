package dev.kindling.platform.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.HtmlUtils;

/**
 * The first thing every request meets: caps request bodies before anything parses them (anonymous capture endpoints
 * take small bodies, the API takes batches, imports take files) and refuses a query string or form body the container
 * cannot decode, before security, controllers or templates read a parameter.
 *
 * <ul>
 * <li>A declared length over the cap is refused at once (413).</li>
 * <li>An undeclared (chunked) body is cut off when it passes the cap while the application reads it. Form and
 * multipart bodies are parsed by the container, past this cut-off, up to its own larger limits: so where the cap is
 * smaller than those, such a body must declare its length (411). Browsers always do.</li>
 * <li>Parameters (query string, form body, multipart parts) are parsed here once; bad %-encoding, bytes that are not
 * UTF-8, a multipart body without a boundary, too many parameters or parts are a 400 (413 when too large).</li>
 * </ul>
 * API and public paths get a problem document; UI paths a short page.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class RequestSizeLimitFilter extends OncePerRequestFilter {

    static final long CAPTURE_LIMIT = 64 * 1024;
    static final long API_LIMIT = 5 * 1024 * 1024;
    static final long IMPORT_LIMIT = 21 * 1024 * 1024;

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long limit = limitFor(request.getRequestURI());
        long declared = request.getContentLengthLong();
        if (declared > limit) {
            refuse(
                    request,
                    response,
                    HttpStatus.CONTENT_TOO_LARGE,
                    "The request body is larger than this endpoint accepts (" + limit + " bytes)");
            return;
        }
        if (declared < 0
                && limit < IMPORT_LIMIT
                && parsedByContainer(request)
                && request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null) {
            refuse(
                    request,
                    response,
                    HttpStatus.LENGTH_REQUIRED,
                    "A form or multipart body must declare its length (Content-Length) here");
            return;
        }
        HttpStatus unreadable = unreadableParameters(request);
        if (unreadable != null) {
            refuse(
                    request,
                    response,
                    unreadable,
                    unreadable == HttpStatus.CONTENT_TOO_LARGE
                            ? "The request body is larger than this endpoint accepts"
                            : "The query string or form body is not validly encoded");
            return;
        }
        chain.doFilter(new LimitedRequest(request, limit), response);
    }

    private static boolean parsedByContainer(HttpServletRequest request) {
        String type = request.getContentType();
        return type != null
                && (type.regionMatches(
                                true,
                                0,
                                MediaType.APPLICATION_FORM_URLENCODED_VALUE,
                                0,
                                MediaType.APPLICATION_FORM_URLENCODED_VALUE.length())
                        || type.regionMatches(true, 0, "multipart/", 0, 10));
    }

    /** Parses the parameters (and parts) now, so no later reader meets a decoding failure; null when they are fine. */
    private static HttpStatus unreadableParameters(HttpServletRequest request) {
        try {
            String type = request.getContentType();
            if (type != null && type.regionMatches(true, 0, "multipart/", 0, 10)) {
                request.getParts();
            }
            request.getParameterMap();
            return null;
        } catch (IOException | ServletException | RuntimeException e) {
            HttpStatus status = ClientErrors.statusOf(e);
            return status.is4xxClientError() ? status : HttpStatus.BAD_REQUEST;
        }
    }

    private static void refuse(
            HttpServletRequest request, HttpServletResponse response, HttpStatus status, String detail)
            throws IOException {
        if (Problems.isMachinePath(request.getRequestURI())) {
            Problems.write(response, status, detail);
        } else {
            response.setStatus(status.value());
            response.setContentType("text/html;charset=UTF-8");
            response.getWriter()
                    .write("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>"
                            + status.value() + " · Kindling</title></head><body><h1>That did not work</h1><p>"
                            + HtmlUtils.htmlEscape(detail)
                            + ".</p><p><a href=\"/\">Back to the home page</a></p></body></html>\n");
        }
    }

    static long limitFor(String uri) {
        // CSV imports by API and page, and files uploaded to be tracked
        if (uri.startsWith("/api/v1/imports") || uri.startsWith("/imports/") || uri.equals("/links/upload")) {
            return IMPORT_LIMIT;
        }
        if (uri.startsWith("/api/")) {
            return API_LIMIT;
        }
        return CAPTURE_LIMIT;
    }

    /** Thrown when an undeclared body passes its cap; the error handlers answer 413. */
    public static final class BodyTooLargeException extends IOException {
        BodyTooLargeException() {
            super("request body too large");
        }
    }

    private static final class LimitedRequest extends HttpServletRequestWrapper {

        private final long limit;
        private ServletInputStream stream;

        LimitedRequest(HttpServletRequest request, long limit) {
            super(request);
            this.limit = limit;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                stream = new LimitedStream(super.getInputStream(), limit);
            }
            return stream;
        }
    }

    private static final class LimitedStream extends ServletInputStream {

        private final ServletInputStream in;
        private final long limit;
        private long read;

        LimitedStream(ServletInputStream in, long limit) {
            this.in = in;
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) throws IOException {
            read += n;
            if (read > limit) {
                throw new BodyTooLargeException();
            }
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }
    }
}
