package dev.kindling.platform.web;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/** Problem documents, including for code that runs before Spring MVC (filters, security). */
public final class Problems {

    public static final String MEDIA_TYPE = "application/problem+json";

    /** Paths whose callers are programs or other sites (API, public capture, API docs): every error is a problem document. */
    private static final List<String> MACHINE_PATHS =
            List.of("/api/", "/actuator/", "/f/", "/t/", "/l/", "/e/", "/v3/");

    private Problems() {}

    public static ProblemDetail of(HttpStatus status, String detail, List<FieldError> errors) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(status.getReasonPhrase());
        if (errors != null && !errors.isEmpty()) {
            problem.setProperty("errors", errors);
        }
        return problem;
    }

    /** Whether errors on this path are problem documents; elsewhere (UI pages) they are the error page. */
    public static boolean isMachinePath(String uri) {
        return uri != null && MACHINE_PATHS.stream().anyMatch(uri::startsWith);
    }

    /** Writes a problem document without a JSON library: the detail is a fixed, trusted string. */
    public static void write(HttpServletResponse response, HttpStatus status, String detail) throws IOException {
        response.setStatus(status.value());
        response.setContentType(MEDIA_TYPE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter()
                .write("{\"type\":\"about:blank\",\"title\":\"" + escape(status.getReasonPhrase()) + "\",\"status\":"
                        + status.value() + ",\"detail\":\"" + escape(detail) + "\"}");
    }

    private static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
