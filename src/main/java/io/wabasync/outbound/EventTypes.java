package io.wabasync.outbound;

import java.util.List;

/** The event types of the change log (V6 migration), as endpoints subscribe to them. */
final class EventTypes {

    static final List<String> ALL = List.of("template.created", "template.status_updated", "template.quality_updated",
            "template.category_updated", "template.components_updated", "template.deleted", "template.restored");

    private EventTypes() {
    }
}
