package io.wabasync.template.lancepilot;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.wabasync.template.StoredJson;

/**
 * LancePilot's components object of a listed template, derived from Meta's array as stored.
 *
 * <p>The lists are the hot path and the same few thousand templates are read over and over, while
 * parsing, converting and writing about 1 KB of JSON per template was most of a page's cost. So the
 * object is kept, as JSON text, keyed by the stored JSON text itself: a pure function of its key, so
 * an entry is never stale, can be shared between workspaces without showing one anything of another,
 * and needs no invalidation when a template changes (its new text is a new key). Bounded by size.
 *
 * <p>Caffeine loads the class that implements a configuration by name (here {@code SSMW}, with nodes
 * {@code PSMW}: strong keys and values, bounded by weight). Quarkus's Caffeine extension registers a
 * common set for native images, without the weighed cache, so a native binary answered 500 on every
 * list until these two were registered. {@code NativeLibrariesIT} builds {@link #cacheConfiguration()},
 * asks Caffeine which classes it chose, and fails if the native build does not register them.
 */
@ApplicationScoped
@RegisterForReflection(classNames = { "com.github.benmanes.caffeine.cache.SSMW",
        "com.github.benmanes.caffeine.cache.PSMW" })
class LancePilotRendering {

    /** About 5 million characters of keys and values: 5 to 10 MB, a few thousand templates. */
    private static final long MAX_CHARACTERS = 5_000_000;

    private final ObjectMapper json;
    private final Cache<String, String> rendered = cacheConfiguration().build();

    LancePilotRendering(ObjectMapper json) {
        this.json = json;
    }

    static Caffeine<String, String> cacheConfiguration() {
        return Caffeine.newBuilder()
                .maximumWeight(MAX_CHARACTERS)
                .weigher((String key, String value) -> key.length() + value.length());
    }

    /** LancePilot's object of Meta's components as stored (JSON text, or null), written out as it is. */
    JsonNode of(String metaComponents) {
        return StoredJson.raw(metaComponents == null ? render(null) : rendered.get(metaComponents, this::render));
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
