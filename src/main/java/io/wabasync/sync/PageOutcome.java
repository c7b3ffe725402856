package io.wabasync.sync;

import java.util.List;

/** What one stored page changed; {@code providerIds} are the Meta ids it held (kept for the removal step). */
record PageOutcome(List<String> providerIds, int created, int updated, int skipped) {
}
