package io.wabasync.template.lancepilot;

import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Template components both ways between Meta's form (the array the Graph API returns and the create
 * API takes, which the service stores as it came) and LancePilot's form (an object
 * {@code {header, body, footer, buttons}}).
 *
 * <h2>LancePilot's documented form</h2>
 * <ul>
 * <li>{@code header}: {@code null}; {@code {"type": "text", "text": {"content", "variables"}}} for a
 * TEXT header ({@code variables} from {@code example.header_text}); or
 * {@code {"type": "media", "media": {"type": "image"|"video"|"document", "handle"}}} for a media
 * header ({@code handle} from the single entry of {@code example.header_handle}, {@code null} when
 * Meta sent none).</li>
 * <li>{@code body}: {@code {"text", "variables"}}, {@code variables} from the single row of
 * {@code example.body_text}; {@code text} is {@code null} when Meta sent none (authentication
 * templates as created).</li>
 * <li>{@code footer}: the FOOTER's text, or {@code null}.</li>
 * <li>{@code buttons}: Meta's buttons as they are, except that a URL button's {@code example} (the
 * example values of the {@code {{1}}} in its url), when it is a list of strings, is called
 * {@code variables}.</li>
 * </ul>
 * {@link #fromMeta} always writes {@code header}, {@code body}, {@code footer} and {@code buttons},
 * and {@code variables} on a text header and a body, even when empty.
 *
 * <h2>Extension keys</h2>
 * LancePilot's form cannot say everything Meta can, and nothing Meta sent may be lost (the form is
 * shown to clients who send it back on update), so {@link #fromMeta} adds snake_case keys, named
 * after Meta's own fields wherever there is one:
 * <ul>
 * <li>{@code header.type = "location"}: a LOCATION header (no documented LancePilot value).</li>
 * <li>{@code header.<field>}, {@code body.<field>}: any field of Meta's HEADER or BODY this form does
 * not map, under Meta's name; for instance {@code body.add_security_recommendation} of an
 * authentication template.</li>
 * <li>{@code header.example}, {@code body.example}: what is left of Meta's {@code example} once the
 * mapped entries are taken out, under Meta's names; for instance
 * {@code body.example.body_text_named_params} and {@code header.example.header_text_named_params}
 * of a template with named parameters, or an {@code example.body_text} that is not one row of
 * strings.</li>
 * <li>{@code code_expiration_minutes} (top level): the FOOTER's {@code code_expiration_minutes} of
 * an authentication template; top level because {@code footer} is documented as a string.</li>
 * <li>buttons other than the documented URL, PHONE_NUMBER and QUICK_REPLY (OTP with its
 * {@code otp_type}, {@code autofill_text}, {@code package_name}, {@code signature_hash},
 * {@code supported_apps}, ...; COPY_CODE, CATALOG, MPM, FLOW, anything newer) are kept with all
 * their Meta fields and their Meta {@code type}.</li>
 * <li>{@code other_components} (top level): Meta components kept verbatim because this form has no
 * place for them: other types (CAROUSEL, LIMITED_TIME_OFFER, a type spelt in lowercase, ...),
 * entries that are not objects with a string {@code type}, a second component of a type already
 * placed, and any HEADER, BODY, FOOTER or BUTTONS that the mapping above would not give back exactly
 * (say a FOOTER with a field other than {@code text} and {@code code_expiration_minutes}, or an
 * empty {@code buttons} list). Each one is tried by converting it back, so this holds by
 * construction rather than by a list of cases.</li>
 * <li>{@code component_order} (top level): the {@code type} of each Meta component in Meta's order
 * ({@code null} for a component without a string type), written only when that order is not
 * HEADER, BODY, FOOTER, BUTTONS followed by {@code other_components}.</li>
 * </ul>
 * So {@code toMeta(fromMeta(c))} equals {@code c} for every array {@code c}, and {@link #fromMeta}
 * refuses nothing inside the array.
 *
 * <h2>LancePilot's create fields</h2>
 * {@link #toMeta} also takes the shapes of LancePilot's create and update body, so that body can be
 * handed over whole (keys that are not components, like {@code name}, are ignored):
 * <ul>
 * <li>{@code header.media.file} is refused: Meta needs a handle, so the file has to be uploaded
 * first.</li>
 * <li>{@code body.otp_code}: the example value of an authentication body's code, sent as
 * {@code example.body_text} (it comes back from {@link #fromMeta} as {@code body.variables}).</li>
 * <li>{@code addSecurityRecommendation} (boolean): BODY's {@code add_security_recommendation}.</li>
 * <li>{@code codeExpirationMinutes} (integer): FOOTER's {@code code_expiration_minutes}.</li>
 * <li>{@code copyCodeButton}: {@code true} or the button's text; adds an OTP button with
 * {@code otp_type} COPY_CODE.</li>
 * <li>{@code unsubscribeButton} set to {@code true} adds the quick reply "Stop promotions", Meta's
 * marketing opt-out (which categories may have it is the rules' work); {@code blockButton} has no Meta
 * form and is ignored.</li>
 * </ul>
 * A camelCase field and its snake_case counterpart may both be given only when they agree. Nothing
 * else is validated here (lengths, ranges, which category allows what): that is the endpoint's work.
 * Malformed input raises {@link IllegalArgumentException}. Read by {@link ComponentsFromMeta}, written
 * by {@link ComponentsToMeta}.
 */
public final class LancePilotComponents {

    static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    static final String HEADER = "HEADER";

    static final String BODY = "BODY";

    static final String FOOTER = "FOOTER";

    static final String BUTTONS = "BUTTONS";

    static final String CODE_EXPIRATION_MINUTES = "code_expiration_minutes";

    static final String OTHER_COMPONENTS = "other_components";

    static final String COMPONENT_ORDER = "component_order";

    static final String EXAMPLE = "example";

    static final String VARIABLES = "variables";

    /** Keys of the form's header and body with a meaning of their own: Meta fields of the same names cannot be kept there. */
    static final Set<String> HEADER_KEYS = Set.of("type", "text", "media", EXAMPLE);

    static final Set<String> BODY_KEYS = Set.of("text", VARIABLES, EXAMPLE, "otp_code");

    private LancePilotComponents() {
    }

    /**
     * Meta's components array (or {@code null}, missing, JSON null) as LancePilot's object.
     *
     * @throws IllegalArgumentException when {@code metaComponents} is something other than an array
     */
    public static ObjectNode fromMeta(JsonNode metaComponents) {
        return ComponentsFromMeta.fromMeta(metaComponents);
    }

    /**
     * LancePilot's object (or a whole create/update body) as the components array Meta's create and
     * edit APIs take; {@code null}, missing or JSON null give an empty array.
     *
     * @throws IllegalArgumentException when the object is not in the form described on this class
     */
    public static ArrayNode toMeta(JsonNode lancePilotComponents) {
        return ComponentsToMeta.toMeta(lancePilotComponents);
    }
}
