package io.wabasync.workspace;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

@Entity
@Table(name = "workspace")
public class Workspace extends PanacheEntityBase {

    @Id
    public UUID id;

    public String name;

    public Instant createdAt;
}
