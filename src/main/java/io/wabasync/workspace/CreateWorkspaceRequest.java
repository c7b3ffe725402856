package io.wabasync.workspace;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import io.quarkus.runtime.annotations.RegisterForReflection;

@RegisterForReflection
public record CreateWorkspaceRequest(
        @NotBlank @Size(max = 200) @Pattern(regexp = "^\\P{Cntrl}*$", message = "must not contain control characters") String name) {
}
