package dev.kindling.platform.web;

import java.sql.SQLException;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponse;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;

/**
 * Which failures are the client's fault, and with which status: the one classification used wherever an error is
 * answered (the API's problem handler, the error page, the resolver for pages). Anything not named here is a 500.
 */
public final class ClientErrors {

    private ClientErrors() {}

    /** The 4xx status {@code error} (or one of its causes) stands for, else 500. */
    public static HttpStatus statusOf(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            HttpStatus status = own(t);
            if (status != null) {
                return status;
            }
        }
        return HttpStatus.INTERNAL_SERVER_ERROR;
    }

    private static HttpStatus own(Throwable t) {
        return switch (t) {
            case InvalidInputException e -> e.status();
            case NotFoundException e -> HttpStatus.NOT_FOUND;
            case ConflictException e -> HttpStatus.CONFLICT;
            case RequestSizeLimitFilter.BodyTooLargeException e -> HttpStatus.CONTENT_TOO_LARGE;
            case MaxUploadSizeExceededException e -> HttpStatus.CONTENT_TOO_LARGE;
            case MultipartException e -> HttpStatus.BAD_REQUEST;
            // the container could not decode the query string or form body (bad %-encoding, not UTF-8, too large)
            case InvalidParameterException e ->
                e.getErrorCode() == 413 ? HttpStatus.CONTENT_TOO_LARGE : HttpStatus.BAD_REQUEST;
            // PostgreSQL's class 22 "data exception": a value out of the column's range (a date in year 0, a number
            // too large for its column) that validation let through. The transaction is rolled back: nothing stored.
            case SQLException e
            when e.getSQLState() != null && e.getSQLState().startsWith("22") -> HttpStatus.BAD_REQUEST;
            case ErrorResponse e
            when e.getStatusCode().is4xxClientError() ->
                HttpStatus.valueOf(e.getStatusCode().value());
            default -> null;
        };
    }
}
