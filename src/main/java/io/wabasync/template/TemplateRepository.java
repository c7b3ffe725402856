package io.wabasync.template;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
@WithSession
public class TemplateRepository implements PanacheRepositoryBase<Template, UUID> {

    public Uni<Template> findInWorkspace(UUID workspaceId, UUID templateId) {
        return find("id = ?1 and workspaceId = ?2", templateId, workspaceId).firstResult();
    }

    /** By LancePilot's integer id, only within the workspace. */
    public Uni<Template> findByNumberInWorkspace(UUID workspaceId, long number) {
        return find("number = ?1 and workspaceId = ?2", number, workspaceId).firstResult();
    }
}
