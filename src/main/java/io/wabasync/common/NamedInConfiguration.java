package io.wabasync.common;

import org.hibernate.boot.model.naming.CamelCaseToUnderscoresNamingStrategy;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Classes that {@code application.properties} names only by string, registered for reflection so that
 * a native binary can load them by name. {@code NativeReflectionIT} fails when a setting names a class
 * that the native build does not register; add it here.
 */
@RegisterForReflection(targets = CamelCaseToUnderscoresNamingStrategy.class)
final class NamedInConfiguration {

    private NamedInConfiguration() {
    }
}
