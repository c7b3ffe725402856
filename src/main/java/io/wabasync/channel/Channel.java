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

    public static final String ACTIVE = "ACTIVE";
    public static final String NEEDS_REAUTH = "NEEDS_REAUTH";

    @Id
    public UUID id;

    public UUID workspaceId;

    public String phoneNumber;

    public String wabaId;

    /** Encrypted with {@link TokenCipher}; decrypted only at the moment Meta is called. */
    public byte[] accessTokenEnc;

    /** ACTIVE, or NEEDS_REAUTH once Meta rejected the token; a new token clears it. */
    public String status;

    /** Why the channel is not ACTIVE, in Meta's words. */
    public String statusReason;

    /** A name the customer gives the number (2Chat's friendly_name). */
    public String friendlyName;

    /** Meta's verified business name of the number; null while Meta has not said. */
    public String verifiedName;

    /** Meta rate-limited this WABA until then: nothing asks Meta for it before. */
    public Instant metaBlockedUntil;

    public Instant createdAt;

    public Instant updatedAt;
}
