package io.wabasync.workspace;

import java.util.UUID;

/** A workspace API key that exists: its own id (which sessions opened with it hang on) and its workspace. */
public record KnownKey(UUID keyId, UUID workspaceId) {
}
