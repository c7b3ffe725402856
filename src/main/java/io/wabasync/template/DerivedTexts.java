package io.wabasync.template;

import java.util.function.UnaryOperator;

import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.util.RawValue;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A text derived from a template's stored JSON (a surface's form of its components), kept for the
 * lists: they are the hot path, the same few thousand templates are read over and over, and parsing,
 * converting and writing about 1 KB of JSON per template was most of a page's cost. Keyed by the
 * digest of the stored JSON text that the database keeps with the row ({@code components_md5}), an
 * entry is a pure function of its key: never stale, shareable between workspaces without showing one
 * anything of another, no invalidation when a template changes (its new text has a new digest).
 * Keyed by the text itself, hashing 1 KB on every read was the largest single cost of a list page
 * (issue 24's profile). Each is JSON, written out as it is; it keeps its UTF-8 bytes once first
 * written, so a page copies bytes rather than encoding the same characters on every read (the next
 * largest cost). Bounded by size; each surface keeps its own.
 *
 * <p>Caffeine loads the class that implements a configuration by name (here {@code SSMW}, with nodes
 * {@code PSMW}: strong keys and values, bounded by weight). Quarkus's Caffeine extension registers a
 * common set for native images, without the weighed cache, so a native binary answered 500 on every
 * list until these two were registered. {@code NativeLibrariesIT} builds {@link #cacheConfiguration()},
 * asks Caffeine which classes it chose, and fails if the native build does not register them.
 */
@RegisterForReflection(classNames = { "com.github.benmanes.caffeine.cache.SSMW",
        "com.github.benmanes.caffeine.cache.PSMW" })
public final class DerivedTexts {

    /** About 5 million characters of keys and values: 5 to 10 MB, many thousand templates. */
    private static final long MAX_CHARACTERS = 5_000_000;

    /** What a text that derives to null is kept as (Caffeine keeps no null). */
    private static final SerializedString NONE = new SerializedString("");

    private final Cache<String, SerializedString> texts = cacheConfiguration().build();
    private final UnaryOperator<String> derive;

    /** {@code derive}: the stored JSON text (or null) to its derived text. */
    public DerivedTexts(UnaryOperator<String> derive) {
        this.derive = derive;
    }

    static Caffeine<String, SerializedString> cacheConfiguration() {
        // A value's characters are counted twice: its text and, once written, its bytes.
        return Caffeine.newBuilder()
                .maximumWeight(MAX_CHARACTERS)
                .weigher((String key, SerializedString value) -> key.length() + 2 * value.charLength());
    }

    /**
     * The derived JSON of the stored JSON text, found by its digest ({@code components_md5} of the same
     * row), to be written out as it is; null when it derives to null. Without a digest (no JSON) it is
     * derived each time, never kept.
     */
    public JsonNode of(String digest, String storedJson) {
        if (digest == null || storedJson == null) {
            String derived = derive.apply(storedJson);
            return derived == null ? null : raw(new SerializedString(derived));
        }
        SerializedString derived = texts.get(digest, key -> {
            String text = derive.apply(storedJson);
            return text == null ? NONE : new SerializedString(text);
        });
        return derived == NONE ? null : raw(derived);
    }

    private static JsonNode raw(SerializedString json) {
        return JsonNodeFactory.instance.rawValueNode(new RawValue(json));
    }
}
