package io.wabasync.template.twochat;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.wabasync.template.TemplateTexts;

/**
 * 2Chat's {@code template_content} of a listed template: its texts, derived from Meta's array as
 * stored. Kept, like LancePilot's components object, keyed by the stored JSON text itself: a pure
 * function of its key, never stale, shareable between workspaces, bounded by size. Caffeine's
 * implementation classes for this configuration ({@code SSMW}, {@code PSMW}) are loaded by name in a
 * native binary, so they are registered here; {@code NativeLibrariesIT} checks that.
 */
@ApplicationScoped
@RegisterForReflection(classNames = { "com.github.benmanes.caffeine.cache.SSMW",
        "com.github.benmanes.caffeine.cache.PSMW" })
class TwoChatContent {

    /** About 3 million characters of keys and values: 3 to 6 MB, a few thousand templates. */
    private static final long MAX_CHARACTERS = 3_000_000;

    private final ObjectMapper json;
    private final Cache<String, String> contents = cacheConfiguration().build();

    TwoChatContent(ObjectMapper json) {
        this.json = json;
    }

    static Caffeine<String, String> cacheConfiguration() {
        return Caffeine.newBuilder()
                .maximumWeight(MAX_CHARACTERS)
                .weigher((String key, String value) -> key.length() + value.length());
    }

    /** The texts of Meta's components as stored (JSON text, or null). */
    String of(String metaComponents) {
        return metaComponents == null ? TemplateTexts.content(null) : contents.get(metaComponents, this::render);
    }

    private String render(String metaComponents) {
        try {
            return TemplateTexts.content(json.readTree(metaComponents));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored components are not JSON", e);
        }
    }
}
