package io.wabasync.template;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.util.RawValue;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What the lists show of a template's components, derived from Meta's array as stored: 2Chat's
 * {@code template_content} and LancePilot's components object.
 *
 * <p>The lists are the hot path and the same few thousand templates are read over and over, while
 * parsing, converting and writing about 1 KB of JSON per template was most of a page's cost. So the
 * derived forms are kept, keyed by the stored JSON text itself: a pure function of its key, so an
 * entry is never stale, can be shared between workspaces without showing one anything of another,
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
class ComponentsRendering {

    /** About 8 million characters of keys and values: 8 to 16 MB, a few thousand templates. */
    private static final long MAX_CHARACTERS = 8_000_000;

    record Rendered(String content, String lancePilotJson) {

        JsonNode lancePilot() {
            return raw(lancePilotJson);
        }
    }

    private final ObjectMapper json;
    private final Cache<String, Rendered> rendered = cacheConfiguration().build();

    ComponentsRendering(ObjectMapper json) {
        this.json = json;
    }

    static Caffeine<String, Rendered> cacheConfiguration() {
        return Caffeine.newBuilder()
                .maximumWeight(MAX_CHARACTERS)
                .weigher((String key, Rendered value) -> key.length() + value.content().length()
                        + value.lancePilotJson().length());
    }

    /** Meta's components as stored (JSON text, or null) in the lists' forms. */
    Rendered of(String metaComponents) {
        if (metaComponents == null) {
            return render(null);
        }
        return rendered.get(metaComponents, this::render);
    }

    /** Meta's array as it is stored, written out as it is, never parsed. */
    static JsonNode raw(String jsonText) {
        return jsonText == null ? null : JsonNodeFactory.instance.rawValueNode(new RawValue(jsonText));
    }

    private Rendered render(String metaComponents) {
        JsonNode components;
        try {
            components = metaComponents == null ? null : json.readTree(metaComponents);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored components are not JSON", e);
        }
        String lancePilot;
        try {
            lancePilot = json.writeValueAsString(LancePilotComponents.fromMeta(components));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return new Rendered(TemplateTexts.content(components), lancePilot);
    }
}
