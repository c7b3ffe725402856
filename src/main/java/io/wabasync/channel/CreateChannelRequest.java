package io.wabasync.channel;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import io.quarkus.runtime.annotations.RegisterForReflection;

@RegisterForReflection
public record CreateChannelRequest(
        @NotBlank @Pattern(regexp = PhoneNumbers.E164_REGEX, message = "must be E.164: a '+' followed by 8 to 15 digits") String phoneNumber,
        @NotBlank @Pattern(regexp = "^[0-9]{5,32}$", message = "must be the numeric WhatsApp Business Account id") String wabaId,
        @NotBlank @Size(max = 4096) String accessToken,
        @Size(min = 1, max = 100) @Pattern(regexp = FRIENDLY_NAME, message = "must not be blank or hold control characters") String friendlyName) {

    /** Printable text, something in it besides spaces. */
    static final String FRIENDLY_NAME = "^[^\\p{Cntrl}]*\\S[^\\p{Cntrl}]*$";

    /** Hides the token from any log line or exception message that prints the request. */
    @Override
    public String toString() {
        return "CreateChannelRequest[phoneNumber=" + phoneNumber + ", wabaId=" + wabaId + ", accessToken=***, friendlyName=" + friendlyName + "]";
    }
}
