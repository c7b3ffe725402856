package io.wabasync.template;

import java.util.function.UnaryOperator;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A text derived from a template's stored JSON (a surface's form of its components), kept for the
 * lists: they are the hot path, the same few thousand templates are read over and over, and parsing,
 * converting and writing about 1 KB of JSON per template was most of a page's cost. Keyed by the
 * stored JSON text itself, an entry is a pure function of its key: never stale, shareable between
 * workspaces without showing one anything of another, no invalidation when a template changes (its
 * new text is a new key). Bounded by size; each surface keeps its own.
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

    /** About 5 million characters of keys and values: 5 to 10 MB, a few thousand templates. */
    private static final long MAX_CHARACTERS = 5_000_000;

    private final Cache<String, String> texts = cacheConfiguration().build();
    private final UnaryOperator<String> derive;

    /** {@code derive}: the stored JSON text (or null) to its derived text. */
    public DerivedTexts(UnaryOperator<String> derive) {
        this.derive = derive;
    }

    static Caffeine<String, String> cacheConfiguration() {
        return Caffeine.newBuilder()
                .maximumWeight(MAX_CHARACTERS)
                .weigher((String key, String value) -> key.length() + value.length());
    }

    /** The derived text of the stored JSON text; null is derived each time, never kept. */
    public String of(String storedJson) {
        return storedJson == null ? derive.apply(null) : texts.get(storedJson, derive::apply);
    }
}
