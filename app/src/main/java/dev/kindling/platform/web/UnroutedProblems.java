package dev.kindling.platform.web;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Errors raised before any controller was chosen (wrong path, method or media type). On the API
 * they are problem documents like every other API error; elsewhere (UI pages) they fall through
 * to the ordinary error page.
 */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
class UnroutedProblems {

    @ExceptionHandler({
        NoResourceFoundException.class,
        HttpRequestMethodNotSupportedException.class,
        HttpMediaTypeNotSupportedException.class,
        HttpMediaTypeNotAcceptableException.class
    })
    ResponseEntity<ProblemDetail> unrouted(Exception e, HttpServletRequest request) throws Exception {
        if (!request.getRequestURI().startsWith("/api/")) {
            throw e;
        }
        HttpStatus status = switch (e) {
            case NoResourceFoundException n -> HttpStatus.NOT_FOUND;
            case HttpRequestMethodNotSupportedException m -> HttpStatus.METHOD_NOT_ALLOWED;
            case HttpMediaTypeNotSupportedException m -> HttpStatus.UNSUPPORTED_MEDIA_TYPE;
            default -> HttpStatus.NOT_ACCEPTABLE;
        };
        String detail = switch (status) {
            case NOT_FOUND -> "There is no such API resource";
            case METHOD_NOT_ALLOWED -> "This resource does not accept that method";
            case UNSUPPORTED_MEDIA_TYPE -> "This resource does not accept that content type";
            default -> "This resource cannot answer in an acceptable media type";
        };
        return ResponseEntity.status(status)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(Problems.of(status, detail, null));
    }
}
