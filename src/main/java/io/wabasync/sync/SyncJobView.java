package io.wabasync.sync;

import com.fasterxml.jackson.annotation.JsonUnwrapped;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** 2Chat's sync status: {@code success} beside the job's fields. */
@RegisterForReflection
public record SyncJobView(boolean success, @JsonUnwrapped JobView job) {
}
