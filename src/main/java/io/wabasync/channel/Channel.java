package io.wabasync.channel;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** One WABA phone number of a workspace, with what Meta needs to list its templates. */
@Entity
@Table(name = "channel")
public class Channel extends PanacheEntityBase {

    @Id
    public UUID id;

    public UUID workspaceId;

    public String phoneNumber;

    public String wabaId;

    /** Encrypted with {@link TokenCipher}; decrypted only at the moment Meta is called. */
    public byte[] accessTokenEnc;

    public Instant createdAt;

    public Instant updatedAt;
}
