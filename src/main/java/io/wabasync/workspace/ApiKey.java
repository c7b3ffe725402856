package io.wabasync.workspace;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** A workspace API key, of which only the SHA-256 is stored. */
@Entity
@Table(name = "api_key")
public class ApiKey extends PanacheEntityBase {

    @Id
    public UUID id;

    public UUID workspaceId;

    public String keyHash;

    /** The first characters of the key, so an operator can tell keys apart without the secret. */
    public String keyPrefix;

    public Instant createdAt;
}
