package io.wabasync.workspace;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import io.quarkus.runtime.annotations.RegisterForReflection;

@RegisterForReflection
public record CreateWorkspaceRequest(@NotBlank @Size(max = 200) String name) {
}
