package io.wabasync.template;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;

@ApplicationScoped
@WithSession
public class TemplateStatusChangeRepository implements PanacheRepositoryBase<TemplateStatusChange, UUID> {
}
