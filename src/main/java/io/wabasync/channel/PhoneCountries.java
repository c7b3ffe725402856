package io.wabasync.channel;

import jakarta.enterprise.context.ApplicationScoped;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;

/**
 * The country a number belongs to (ISO 3166-1 alpha-2, as 2Chat's {@code iso_country_code}), from
 * libphonenumber's numbering plans: a calling code alone does not tell (+1 is the US, Canada and the
 * Caribbean; +7 Russia and Kazakhstan), the number's leading digits do.
 */
@ApplicationScoped
public class PhoneCountries {

    private final PhoneNumberUtil numbers = PhoneNumberUtil.getInstance();

    /** Two letters, or null when the numbering plans give no single country (or the number is unknown). */
    public String isoCountryCode(String e164) {
        if (e164 == null) {
            return null;
        }
        try {
            String region = numbers.getRegionCodeForNumber(numbers.parse(e164, null));
            return region == null || "ZZ".equals(region) || "001".equals(region) ? null : region;
        } catch (NumberParseException e) {
            return null;
        }
    }
}
