package io.wabasync.template.twochat;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.wabasync.template.DerivedTexts;
import io.wabasync.template.TemplateTexts;

/** 2Chat's {@code template_content} of a listed template: its texts, from Meta's array as stored. */
@ApplicationScoped
class TwoChatContent {

    private final ObjectMapper json;
    private final DerivedTexts contents = new DerivedTexts(this::render);

    TwoChatContent(ObjectMapper json) {
        this.json = json;
    }

    // Meta's array itself, as stored: the same text for the same digest, kept as bytes like the content.
    private final DerivedTexts components = new DerivedTexts(stored -> stored);

    /**
     * The texts of Meta's components as stored (JSON text, or null), found by the row's digest of them,
     * as a JSON string ready to be written out (escaping 500 characters on every read was a visible
     * share of a page).
     */
    JsonNode of(String digest, String metaComponents) {
        return contents.of(digest, metaComponents);
    }

    /** Meta's array as stored, written out as it is. */
    JsonNode components(String digest, String metaComponents) {
        return components.of(digest, metaComponents);
    }

    private String render(String metaComponents) {
        try {
            String text = TemplateTexts.content(metaComponents == null ? null : json.readTree(metaComponents));
            return text == null ? null : json.writeValueAsString(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored components are not JSON", e);
        }
    }
}
