package io.wabasync.template;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
@WithSession
public class StatusHistoryRepository implements PanacheRepositoryBase<StatusHistoryEntry, UUID> {

    public Uni<List<StatusHistoryEntry>> historyOf(UUID templateId) {
        return list("templateId", Sort.by("changedAt").and("id"), templateId);
    }
}
