package com.personasettings.domain;

import java.util.List;

/**
 * The {@code {data, errors}} result of a command: errors on failure; on success the number after the command, or
 * nothing for a command about a persona ({@link #done()}).
 *
 * @param data the number after the command (on success)
 */
public record Outcome(NumberState data, List<ApiError> errors) {

    public Outcome {
        if (data != null && errors != null) {
            throw new IllegalArgumentException("an outcome has data or errors, not both");
        }
        errors = errors == null ? null : List.copyOf(errors);
    }

    public static Outcome success(NumberState data) {
        return new Outcome(data, null);
    }

    /** Success with no number to show: a persona's retirement, which may have changed many or none. */
    public static Outcome done() {
        return new Outcome(null, null);
    }

    public static Outcome failure(ApiError error) {
        return new Outcome(null, List.of(error));
    }

    public boolean succeeded() {
        return errors == null;
    }
}
