package io.wabasync.common;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.Comparator;
import java.util.stream.Collectors;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

/**
 * Every 4xx and 5xx leaves the service in the contract's JSON error shape, never as HTML or a
 * stack trace.
 */
public class ErrorMappers {

    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

    @ServerExceptionMapper
    public Response apiException(ApiException e) {
        if (e instanceof ValidationFailure invalid) {
            return Response.status(400).type(MediaType.APPLICATION_JSON)
                    .entity(new ApiValidationError(false, invalid.getMessage(), new java.util.TreeMap<>(invalid.errors())))
                    .build();
        }
        return error(e.status(), e.getMessage());
    }

    @ServerExceptionMapper
    public Response constraintViolation(ConstraintViolationException e) {
        String message = e.getConstraintViolations().stream()
                .sorted(Comparator.comparing(v -> v.getPropertyPath().toString()))
                .map(ErrorMappers::describe)
                .collect(Collectors.joining("; "));
        return error(400, message.isEmpty() ? "Invalid request" : message);
    }

    @ServerExceptionMapper
    public Response invalidJson(JsonProcessingException e) {
        return error(400, "The request body is not valid JSON");
    }

    /** Well-formed JSON of the wrong shape; declared on its own to take over from Quarkus' built-in mapper. */
    @ServerExceptionMapper
    public Response mismatchedJson(MismatchedInputException e) {
        String field = e.getPath().isEmpty() ? null : e.getPath().get(e.getPath().size() - 1).getFieldName();
        return error(400, field == null
                ? "The request body does not have the expected JSON shape"
                : "Invalid value for '" + field + "'");
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (e.getCause() instanceof MismatchedInputException mismatched) {
            return mismatchedJson(mismatched);
        }
        if (e.getCause() instanceof JsonProcessingException json) {
            return invalidJson(json);
        }
        String message = switch (status) {
            case 400 -> "Bad request";
            case 404 -> "Not found";
            case 405 -> "Method not allowed";
            case 406 -> "Not acceptable: this API answers application/json";
            case 413 -> "Request body too large";
            case 415 -> "Unsupported media type: send application/json";
            default -> status >= 500 ? "Internal error" : "Request rejected";
        };
        if (status >= 500) {
            LOG.error("Request failed", e);
        }
        return error(status, message);
    }

    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER + 1000)
    public Response unexpected(Throwable e) {
        if (DatabaseFailures.isRejectedValue(e)) {
            // Input checks should have caught it; PostgreSQL refusing a value is still the caller's input.
            LOG.warnf("The database refused a value from a request: %s", e.getMessage());
            return error(400, "A value in the request cannot be stored (for example a NUL character)");
        }
        if (DatabaseFailures.isUnavailable(e)) {
            LOG.warnf("Database unavailable while handling a request: %s", e.getMessage());
            return error(503, "The database is unavailable at the moment; please retry shortly");
        }
        LOG.error("Unexpected failure while handling a request", e);
        return error(500, "Internal error");
    }

    private static String describe(ConstraintViolation<?> v) {
        String path = v.getPropertyPath().toString();
        // Method-parameter paths look like "create.request.phoneNumber": the leaf names the field.
        String field = path.contains(".") ? path.substring(path.lastIndexOf('.') + 1) : path;
        return field.isEmpty() ? v.getMessage() : snakeCase(field) + ": " + v.getMessage();
    }

    private static String snakeCase(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase();
    }

    public static Response error(int status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(ApiError.of(message)).build();
    }
}
