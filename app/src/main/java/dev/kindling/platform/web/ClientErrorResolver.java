package dev.kindling.platform.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.ModelAndView;

/**
 * After Spring's own resolvers: an exception from a page (or any handler no advice answered) that {@link ClientErrors}
 * calls the client's fault — an unknown id, invalid input, a value out of range — becomes that status, rendered by
 * {@link ErrorPages}, instead of escaping as a 500.
 */
@Component
class ClientErrorResolver implements HandlerExceptionResolver, Ordered {

    @Override
    public ModelAndView resolveException(
            HttpServletRequest request, HttpServletResponse response, Object handler, Exception ex) {
        HttpStatus status = ClientErrors.statusOf(ex);
        if (!status.is4xxClientError() || response.isCommitted()) {
            return null;
        }
        try {
            response.sendError(status.value());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ModelAndView();
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
