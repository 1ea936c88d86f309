package com.personasettings.domain;

import java.util.List;

/**
 * The {@code {data, errors}} result of a command: exactly one of the two is present.
 *
 * @param data the number after the command (on success)
 */
public record Outcome(NumberState data, List<ApiError> errors) {

    public Outcome {
        if ((data == null) == (errors == null)) {
            throw new IllegalArgumentException("an outcome has either data or errors");
        }
        errors = errors == null ? null : List.copyOf(errors);
    }

    public static Outcome success(NumberState data) {
        return new Outcome(data, null);
    }

    public static Outcome failure(ApiError error) {
        return new Outcome(null, List.of(error));
    }

    public boolean succeeded() {
        return errors == null;
    }
}
