package io.wabasync.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.util.RawValue;

/** Stored JSON on its way out. */
public final class StoredJson {

    private StoredJson() {
    }

    /** The text as it is stored, written out as it is, never parsed; null stays null. */
    public static JsonNode raw(String jsonText) {
        return jsonText == null ? null : JsonNodeFactory.instance.rawValueNode(new RawValue(jsonText));
    }
}
