package io.wabasync.meta;

import java.util.List;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * {@code GET /{version}/{waba-id}/phone_numbers}: the WABA's numbers with their verified business
 * names. {@code display_phone_number} is formatted for people ("15555551234", "+1 555-555-1234").
 */
@RegisterForReflection
public record MetaPhoneNumbers(List<Number> data) {

    @RegisterForReflection
    public record Number(String id, String displayPhoneNumber, String verifiedName) {
    }

    /** The verified name of the number whose digits are those of {@code e164}, or null. */
    public String verifiedNameOf(String e164) {
        if (data == null || e164 == null) {
            return null;
        }
        String digits = e164.replaceAll("\\D", "");
        return data.stream()
                .filter(n -> n != null && n.displayPhoneNumber() != null
                        && n.displayPhoneNumber().replaceAll("\\D", "").equals(digits))
                .map(Number::verifiedName)
                .filter(name -> name != null && !name.isBlank())
                .findFirst().orElse(null);
    }
}
