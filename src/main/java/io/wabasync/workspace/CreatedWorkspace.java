package io.wabasync.workspace;

import io.quarkus.runtime.annotations.RegisterForReflection;

@RegisterForReflection
public record CreatedWorkspace(String id, String name, String apiKey) {
}
