package io.wabasync.template.twochat;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
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

    /** The texts of Meta's components as stored (JSON text, or null). */
    String of(String metaComponents) {
        return contents.of(metaComponents);
    }

    private String render(String metaComponents) {
        try {
            return TemplateTexts.content(metaComponents == null ? null : json.readTree(metaComponents));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored components are not JSON", e);
        }
    }
}
