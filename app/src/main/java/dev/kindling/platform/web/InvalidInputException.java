package dev.kindling.platform.web;

import java.util.List;
import org.springframework.http.HttpStatus;

/** A request whose content is wrong; answered with 400 (or the given status) and every field error. */
public class InvalidInputException extends RuntimeException {

    private final transient List<FieldError> errors;
    private final HttpStatus status;

    public InvalidInputException(List<FieldError> errors) {
        this(HttpStatus.BAD_REQUEST, "The request is not valid", errors);
    }

    public InvalidInputException(HttpStatus status, String detail, List<FieldError> errors) {
        super(detail);
        this.status = status;
        this.errors = List.copyOf(errors);
    }

    public static InvalidInputException of(String field, String message) {
        return new InvalidInputException(List.of(new FieldError(field, message)));
    }

    public List<FieldError> errors() {
        return errors;
    }

    public HttpStatus status() {
        return status;
    }
}
