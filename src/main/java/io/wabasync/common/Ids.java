package io.wabasync.common;

import java.util.UUID;

/** Ids from a path: one that is not even a UUID is simply not found, like any unknown id. */
public final class Ids {

    private Ids() {
    }

    public static UUID orNotFound(String raw, String what) {
        try {
            return UUID.fromString(raw);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw ApiException.notFound(what + " not found");
        }
    }
}
