package io.wabasync.template.lancepilot;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.wabasync.template.DerivedTexts;

/** LancePilot's components object of a listed template, from Meta's array as stored, kept as JSON text. */
@ApplicationScoped
class LancePilotRendering {

    private final ObjectMapper json;
    private final DerivedTexts rendered = new DerivedTexts(this::render);

    LancePilotRendering(ObjectMapper json) {
        this.json = json;
    }

    /**
     * LancePilot's object of Meta's components as stored (JSON text, or null), found by the row's
     * digest of them, written out as it is.
     */
    JsonNode of(String digest, String metaComponents) {
        return rendered.of(digest, metaComponents);
    }

    private String render(String metaComponents) {
        try {
            JsonNode components = metaComponents == null ? null : json.readTree(metaComponents);
            return json.writeValueAsString(LancePilotComponents.fromMeta(components));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored components are not JSON", e);
        }
    }
}
