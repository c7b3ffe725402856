package io.wabasync.channel;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** A new access token after Meta rejected the old one, and/or a corrected WABA id. */
@RegisterForReflection
public record UpdateChannelRequest(
        @Size(min = 1, max = 4096) @Pattern(regexp = "^\\S+$", message = "must not be blank or contain spaces") String accessToken,
        @Pattern(regexp = "^[0-9]{5,32}$", message = "must be the numeric WhatsApp Business Account id") String wabaId) {

    @AssertTrue(message = "give access_token and/or waba_id")
    public boolean isSomethingToChange() {
        return accessToken != null || wabaId != null;
    }

    @Override
    public String toString() {
        return "UpdateChannelRequest[wabaId=" + wabaId + ", accessToken=" + (accessToken == null ? null : "***") + "]";
    }
}
