package dev.kindling.platform.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.springframework.boot.webmvc.error.ErrorAttributes;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.servlet.ModelAndView;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every error that leaves the controllers' own handlers ends here ({@code /error}): an exception from a page, a refusal
 * by the security firewall, a status sent by a filter. The status is the one sent, or, for an exception that escaped,
 * the one {@link ClientErrors} gives it. API and public paths answer {@code application/problem+json}; UI paths the
 * app's error page in the shell. A 500 says nothing of its cause.
 */
@Controller
class ErrorPages implements ErrorController {

    private final ErrorAttributes errorAttributes;
    private final JsonMapper json;

    ErrorPages(ErrorAttributes errorAttributes, JsonMapper json) {
        this.errorAttributes = errorAttributes;
        this.json = json;
    }

    @RequestMapping("/error")
    ModelAndView error(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Throwable error = errorAttributes.getError(new ServletWebRequest(request));
        HttpStatus status = status(request, error);
        String path = (String) request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        if (Problems.isMachinePath(path != null ? path : request.getRequestURI())) {
            response.setStatus(status.value());
            response.setContentType(Problems.MEDIA_TYPE);
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            json.writeValue(response.getOutputStream(), problem(status, error));
            return null;
        }
        ModelAndView page = new ModelAndView("error", status);
        page.addObject("status", status.value());
        return page;
    }

    private static HttpStatus status(HttpServletRequest request, Throwable error) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        HttpStatus sent = code instanceof Integer c ? HttpStatus.resolve(c) : null;
        if ((sent == null || sent.is5xxServerError()) && error != null) {
            HttpStatus classified = ClientErrors.statusOf(error);
            if (classified.is4xxClientError()) {
                return classified;
            }
        }
        return sent != null ? sent : HttpStatus.INTERNAL_SERVER_ERROR;
    }

    private static org.springframework.http.ProblemDetail problem(HttpStatus status, Throwable error) {
        for (Throwable t = error; t != null && status.is4xxClientError(); t = t.getCause() == t ? null : t.getCause()) {
            switch (t) {
                case InvalidInputException e -> {
                    return Problems.of(status, e.getMessage(), e.errors());
                }
                case NotFoundException e -> {
                    return Problems.of(status, e.getMessage(), null);
                }
                case ConflictException e -> {
                    return Problems.of(status, e.getMessage(), null);
                }
                default -> {}
            }
        }
        return Problems.of(status, detail(status), List.of());
    }

    private static String detail(HttpStatus status) {
        return switch (status) {
            case BAD_REQUEST -> "The request is not valid";
            case UNAUTHORIZED -> "Authentication is required";
            case FORBIDDEN -> "Your role may not do this";
            case NOT_FOUND -> "There is no such resource";
            case METHOD_NOT_ALLOWED -> "This resource does not accept that method";
            case CONTENT_TOO_LARGE -> "The request body is larger than this endpoint accepts";
            case UNSUPPORTED_MEDIA_TYPE -> "This resource does not accept that content type";
            default ->
                status.is4xxClientError()
                        ? status.getReasonPhrase()
                        : "Something went wrong on our side; nothing was changed";
        };
    }
}
