package io.wabasync.outbound;

import java.util.List;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A webhook endpoint as the caller sends it: to create one ({@code url} required) or to change one
 * (only the fields given change). {@code event_types} empty or absent: every type.
 */
@RegisterForReflection
public record EndpointRequest(String url, List<String> eventTypes, Boolean enabled, String description) {
}
