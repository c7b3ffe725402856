package io.wabasync.channel;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** A new access token after Meta rejected the old one, a corrected WABA id, and/or a friendly name. */
@RegisterForReflection
public record UpdateChannelRequest(
        @Size(min = 1, max = 4096) @Pattern(regexp = "^\\S+$", message = "must not be blank or contain spaces") String accessToken,
        @Pattern(regexp = "^[0-9]{5,32}$", message = "must be the numeric WhatsApp Business Account id") String wabaId,
        @Size(min = 1, max = 100) @Pattern(regexp = CreateChannelRequest.FRIENDLY_NAME,
                message = "must not be blank or hold control characters") String friendlyName) {

    @AssertTrue(message = "give access_token, waba_id and/or friendly_name")
    public boolean isSomethingToChange() {
        return accessToken != null || wabaId != null || friendlyName != null;
    }

    /** A new token or WABA id is a new chance at Meta; a new name alone changes nothing there. */
    boolean changesMetaAccess() {
        return accessToken != null || wabaId != null;
    }

    @Override
    public String toString() {
        return "UpdateChannelRequest[wabaId=" + wabaId + ", accessToken=" + (accessToken == null ? null : "***")
                + ", friendlyName=" + friendlyName + "]";
    }
}
