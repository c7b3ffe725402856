package io.wabasync.common;

import java.util.List;
import java.util.Map;

/**
 * A request that breaks rules the API documents: answered 400 with every failing field and each of
 * its problems ({@code errors}), beside the contract's {@code success} and {@code message}.
 */
public class ValidationFailure extends ApiException {

    private final Map<String, List<String>> errors;

    public ValidationFailure(Map<String, List<String>> errors) {
        super(400, "The template breaks " + (errors.size() == 1 ? "a rule" : errors.size() + " rules") + ": "
                + String.join(", ", errors.keySet()));
        this.errors = Map.copyOf(errors);
    }

    public ValidationFailure(String field, String problem) {
        this(Map.of(field, List.of(problem)));
    }

    public Map<String, List<String>> errors() {
        return errors;
    }
}
