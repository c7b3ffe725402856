package io.wabasync.workspace;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
@WithSession
public class ApiKeyRepository implements PanacheRepositoryBase<ApiKey, UUID> {

    public Uni<ApiKey> findByHash(String keyHash) {
        return find("keyHash", keyHash).firstResult();
    }
}
