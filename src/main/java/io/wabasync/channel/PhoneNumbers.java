package io.wabasync.channel;

import java.util.regex.Pattern;

import io.wabasync.common.ApiException;

/** E.164 numbers as the contract takes them: a plus, then 8 to 15 digits, nothing else. */
public final class PhoneNumbers {

    public static final String E164_REGEX = "^\\+[1-9][0-9]{7,14}$";
    private static final Pattern E164 = Pattern.compile(E164_REGEX);
    private static final Pattern DIGITS_AFTER_DECODED_PLUS = Pattern.compile("^ [1-9][0-9]{7,14}$");

    private PhoneNumbers() {
    }

    /**
     * Parses a {@code phone_number} query parameter. 2Chat's own cURL example sends a raw {@code +},
     * which URL decoding turns into a space; a single leading space before the digits is therefore
     * read as the plus it was. Any other space, a missing plus or a letter is rejected.
     */
    public static String fromQuery(String raw) {
        if (raw == null || raw.isEmpty()) {
            throw ApiException.badRequest("'phone_number' is required, in E.164 form (e.g. +5215512345432)");
        }
        if (raw.length() > 32) {
            throw ApiException.badRequest("'phone_number' is too long; E.164 has at most 15 digits");
        }
        String candidate = DIGITS_AFTER_DECODED_PLUS.matcher(raw).matches() ? "+" + raw.substring(1) : raw;
        if (!E164.matcher(candidate).matches()) {
            throw ApiException.badRequest("'phone_number' must be E.164: a '+' followed by 8 to 15 digits, no spaces");
        }
        return candidate;
    }
}
