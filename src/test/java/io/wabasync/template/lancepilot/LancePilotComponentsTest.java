package io.wabasync.template.lancepilot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Plain unit test: the conversion is pure, so no application start. */
class LancePilotComponentsTest {

    private static final String SAMPLES = "/meta-samples";

    // ---- every sample, both ways ----

    @ParameterizedTest(name = "{0}")
    @MethodSource("metaSamples")
    void everySampleComesBackFromLancePilotsFormUnchanged(String name, JsonNode components) {
        ObjectNode lp = LancePilotComponents.fromMeta(components);

        assertJson(name, LancePilotComponents.toMeta(lp), components);
        assertThat(lp.has("header") && lp.has("body") && lp.has("footer") && lp.has("buttons")).as("%s: %s", name, lp).isTrue();
        assertThat(lp.get("footer").isNull() || lp.get("footer").isTextual()).as("%s: footer is a string or null", name).isTrue();
        assertThat(lp.get("buttons").isArray()).as("%s: buttons", name).isTrue();
        // The other way round as well: the form fromMeta writes is the one it reads back.
        assertJson(name, LancePilotComponents.fromMeta(LancePilotComponents.toMeta(lp)), lp);
    }

    @Test
    void theSampleSourceFindsEveryTemplateOfEveryFile() {
        Map<String, Long> perFile = metaSamples().map(arguments -> ((String) arguments.get()[0]).split(" ")[0])
                .collect(Collectors.groupingBy(file -> file, Collectors.counting()));
        assertThat(perFile).containsExactlyInAnyOrderEntriesOf(Map.of(
                "bindambc_retTemplate1.json", 7L,
                "bindambc_retTemplate2_page_with_next.json", 2L,
                "bindambc_retTemplate3_last_page_no_next.json", 1L,
                "meta_openapi_v23_GET_waba_message_templates_example.json", 2L,
                "meta_openapi_v23_GET_template_by_id_examples.json", 1L,
                "meta_openapi_v23_POST_create_and_edit_template_examples.json", 12L,
                "wabasync_handwritten_templates.json", 10L));
    }

    // ---- shapes read from the samples ----

    @Test
    void aTextHeaderAndABodyTakeTheirExamplesAsVariables() {
        ObjectNode lp = LancePilotComponents.fromMeta(sample("meta_openapi_v23_POST_create_and_edit_template_examples.json",
                "Create template w/ text header, text body, text footer, and 2 quick reply buttons"));

        assertJson(lp, json("""
                {"header": {"type": "text", "text": {"content": "Our {{1}} is on!", "variables": ["Summer Sale"]}},
                 "body": {"text": "Shop now through {{1}} and use code {{2}} to get {{3}} off of all merchandise.",
                          "variables": ["the end of August", "25OFF", "25%"]},
                 "footer": "Use the buttons below to manage your marketing subscriptions",
                 "buttons": [{"type": "QUICK_REPLY", "text": "Unsubcribe from Promos"},
                             {"type": "QUICK_REPLY", "text": "Unsubscribe from All"}]}
                """));
    }

    @Test
    void aTextHeaderWithoutExampleHasNoVariables() {
        ObjectNode lp = LancePilotComponents.fromMeta(sample("bindambc_retTemplate1.json", "hello_world"));

        assertJson(lp.get("header"), json("""
                {"type": "text", "text": {"content": "Hello World", "variables": []}}"""));
        assertJson(lp.get("body").get("variables"), json("[]"));
        assertThat(lp.get("footer").textValue()).isEqualTo("WhatsApp Business API Team");
    }

    @Test
    void anImageHeaderIsAMediaHeaderWithItsHandleAndAUrlButtonHasItsVariable() {
        JsonNode meta = sample("meta_openapi_v23_POST_create_and_edit_template_examples.json",
                "Create template w/ image header, text body, text footer, and 2 call-to-action buttons");
        String handle = meta.get(0).get("example").get("header_handle").get(0).textValue();

        ObjectNode lp = LancePilotComponents.fromMeta(meta);

        assertThat(handle).startsWith("4::aW1hZ2UvanBn:");
        assertJson(lp.get("header"), media("image", handle));
        assertJson(lp.get("buttons"), json("""
                [{"type": "PHONE_NUMBER", "text": "Call", "phone_number": "16467043595"},
                 {"type": "URL", "text": "Shop Now", "url": "https://damp-sea-63235.herokuapp.com/shop?promo={{1}}",
                  "variables": ["summer2023"]}]"""));
        assertJson(lp.get("body").get("variables"), json("""
                ["Mark", "Tuscan Getaway package", "800"]"""));
    }

    @Test
    void documentAndVideoHeadersAreMediaHeadersToo() {
        ObjectNode document = LancePilotComponents.fromMeta(sample("meta_openapi_v23_POST_create_and_edit_template_examples.json",
                "Create template w/ document header, text body, a phone number button, and a URL button"));
        ObjectNode video = LancePilotComponents.fromMeta(sample("wabasync_handwritten_templates.json", "summer_video_promo"));

        assertJson(document.get("header"), media("document", "4::YXBwbGljYXRpb24vcGRm:ARZVv4zuogJMxmAdS3_6T4o_K4ll2806avA7rWpikisTzYPsXXUeKk0"
                + "REjS-hIM1rYrizHD7rQXj951TKgUFblgd_BDWVROCwRkg9Vhjj-cHNQ:e:1681237341:634974688087057:100089620928913:ARa1ZDhwbLZM3EENeeg"));
        assertThat(document.get("footer").isNull()).isTrue();
        assertJson(video.get("header"), media("video", "https://scontent.whatsapp.net/v/t61.29466-34/example-video.mp4"));
        assertJson(video.get("buttons"), json("""
                [{"type": "COPY_CODE", "example": "SUN20"},
                 {"type": "URL", "text": "Shop now", "url": "https://shop.example.com/summer?ref={{1}}", "variables": ["ana-7781"]},
                 {"type": "PHONE_NUMBER", "text": "Call us", "phone_number": "+15550100123"}]"""));
    }

    @Test
    void anAuthenticationTemplateWithACopyCodeButtonKeepsItsMetaFields() {
        ObjectNode lp = LancePilotComponents.fromMeta(sample("meta_openapi_v23_POST_create_and_edit_template_examples.json",
                "Create authentication template w/ OTP copy code button"));

        assertJson(lp, json("""
                {"header": null,
                 "body": {"text": null, "variables": [], "add_security_recommendation": true},
                 "footer": null,
                 "code_expiration_minutes": 10,
                 "buttons": [{"type": "OTP", "otp_type": "COPY_CODE", "text": "Copy Code"}]}"""));
    }

    @Test
    void anAuthenticationTemplateAsListedHasItsFooterTextAndItsExpiryApart() {
        ObjectNode lp = LancePilotComponents.fromMeta(sample("wabasync_handwritten_templates.json", "auth_copy_code_as_listed"));

        assertThat(lp.get("footer").textValue()).isEqualTo("This code expires in 10 minutes.");
        assertThat(lp.get("code_expiration_minutes").intValue()).isEqualTo(10);
        assertJson(lp.get("body"), json("""
                {"text": "*{{1}}* is your verification code. For your security, do not share this code.",
                 "variables": ["123456"], "add_security_recommendation": true}"""));
        assertJson(lp.get("buttons").get(0).get("variables"), json("""
                ["https://www.whatsapp.com/otp/code/?otp_type=COPY_CODE&code_expiration_minutes=10&code=otp123456"]"""));
    }

    @Test
    void oneTapButtonsKeepEveryFieldOfTheirOwn() {
        ObjectNode spec = LancePilotComponents.fromMeta(sample("meta_openapi_v23_POST_create_and_edit_template_examples.json",
                "Create authentication template w/ OTP one-tap autofill button"));
        ObjectNode apps = LancePilotComponents.fromMeta(sample("wabasync_handwritten_templates.json", "auth_one_tap_supported_apps"));

        assertJson(spec.get("buttons"), json("""
                [{"type": "OTP", "otp_type": "ONE_TAP", "text": "Copy Code", "autofill_text": "Autofill",
                  "package_name": "com.example.luckyshrub", "signature_hash": "K8a%2FAINcGX7"}]"""));
        assertJson(apps.get("buttons").get(0).get("supported_apps"), json("""
                [{"package_name": "com.example.luckyshrub", "signature_hash": "K8a/AINcGX7"}]"""));
        assertThat(apps.get("body").get("add_security_recommendation").booleanValue()).isFalse();
        assertThat(apps.has("code_expiration_minutes")).isFalse();
    }

    @Test
    void aLocationHeaderHasATypeOfItsOwn() {
        ObjectNode lp = LancePilotComponents.fromMeta(sample("meta_openapi_v23_POST_create_and_edit_template_examples.json",
                "Create template w/ location header, text body, text footer, and a website buttons"));

        assertJson(lp.get("header"), json("""
                {"type": "location"}"""));
    }

    @Test
    void namedParametersStayInTheExampleOfTheirComponent() {
        ObjectNode lp = LancePilotComponents.fromMeta(sample("wabasync_handwritten_templates.json", "order_update_named_params"));

        assertJson(lp.get("header"), json("""
                {"type": "text", "text": {"content": "Order {{order_id}}", "variables": []},
                 "example": {"header_text_named_params": [{"param_name": "order_id", "example": "335628"}]}}"""));
        assertJson(lp.get("body").get("variables"), json("[]"));
        assertThat(lp.get("body").get("example").get("body_text_named_params")).hasSize(3);
    }

    @Test
    void multiProductAndCatalogButtonsKeepTheirMetaType() {
        ObjectNode mpm = LancePilotComponents.fromMeta(sample("meta_openapi_v23_POST_create_and_edit_template_examples.json",
                "Create multi-product message template"));
        ObjectNode catalog = LancePilotComponents.fromMeta(sample("wabasync_handwritten_templates.json", "catalog_intro"));

        assertJson(mpm.get("buttons"), json("""
                [{"type": "MPM", "text": "View items"}]"""));
        assertJson(mpm.get("header").get("text").get("variables"), json("""
                ["Pablo"]"""));
        assertJson(catalog.get("buttons"), json("""
                [{"type": "CATALOG", "text": "View catalog"}]"""));
        assertThat(catalog.get("header").isNull()).isTrue();
    }

    @Test
    void aComponentWithoutAPlaceKeepsItsPositionInMetasOrder() {
        ObjectNode lp = LancePilotComponents.fromMeta(sample("wabasync_handwritten_templates.json", "limited_time_offer_with_image"));

        assertJson(lp.get("other_components"), json("""
                [{"type": "LIMITED_TIME_OFFER", "limited_time_offer": {"text": "Expiring offer!", "has_expiration": true}}]"""));
        assertJson(lp.get("component_order"), json("""
                ["HEADER", "LIMITED_TIME_OFFER", "BODY", "BUTTONS"]"""));
        assertThat(lp.get("header").get("type").textValue()).isEqualTo("media");
    }

    @Test
    void aComponentInMetasUsualOrderNeedsNoComponentOrder() {
        ObjectNode lp = LancePilotComponents.fromMeta(sample("wabasync_handwritten_templates.json", "carousel_two_cards"));

        assertThat(lp.has("component_order")).isFalse();
        assertThat(lp.get("other_components")).hasSize(1);
        assertThat(lp.get("other_components").get(0).get("cards")).hasSize(2);
    }

    @Test
    void aLowercaseTypeIsNotGuessedAt() {
        ObjectNode lp = LancePilotComponents.fromMeta(sample("meta_openapi_v23_POST_create_and_edit_template_examples.json",
                "Create Flow Template Message by ID"));

        assertThat(lp.get("body").isNull()).isTrue();
        assertJson(lp.get("other_components"), json("""
                [{"text": "Check out this new offer", "type": "body"}]"""));
        assertJson(lp.get("buttons"), json("""
                [{"flow_action": "navigate", "flow_id": "{{Flow-ID}}", "navigate_screen": "<SCREEN_ID>",
                  "text": "Check out this offer!", "type": "FLOW"}]"""));
        assertJson(lp.get("component_order"), json("""
                ["body", "BUTTONS"]"""));
    }

    @Test
    void shapesTheFormCannotSayAreKeptAsMetaSentThem() {
        ObjectNode lp = LancePilotComponents.fromMeta(sample("wabasync_handwritten_templates.json", "odd_shapes_kept_verbatim"));

        assertJson(lp.get("body"), json("""
                {"text": "Hello {{1}}", "variables": [], "example": {"body_text": [["Ana"], ["Bo"]]}}"""));
        assertJson(lp.get("header"), json("""
                {"type": "media", "media": {"type": "document", "handle": null},
                 "example": {"header_handle": ["4::first", "4::second"]}}"""));
        assertJson(lp.get("other_components"), json("""
                [{"type": "FOOTER"}, {"type": "BUTTONS", "buttons": []}, {"type": "BODY", "text": "A second body"}]"""));
        assertJson(lp.get("component_order"), json("""
                ["BODY", "HEADER", "FOOTER", "BUTTONS", "BODY"]"""));
        assertThat(lp.get("footer").isNull()).isTrue();
        assertJson(lp.get("buttons"), json("[]"));
    }

    @Test
    void malformedMetaComponentsAreKeptNotRefused() {
        JsonNode meta = sample("wabasync_handwritten_templates.json", "malformed_components_kept_verbatim");

        ObjectNode lp = LancePilotComponents.fromMeta(meta);

        assertJson(lp.get("other_components"), meta);
        assertThat(lp.has("component_order")).isFalse();
        assertJson(lp.get("header"), NullNode.getInstance());
        assertJson(lp.get("body"), NullNode.getInstance());
        assertJson(lp.get("buttons"), json("[]"));
    }

    @Test
    void emptyComponentsGiveTheEmptyForm() {
        ObjectNode empty = (ObjectNode) json("""
                {"header": null, "body": null, "footer": null, "buttons": []}""");

        assertJson(LancePilotComponents.fromMeta(null), empty);
        assertJson(LancePilotComponents.fromMeta(MissingNode.getInstance()), empty);
        assertJson(LancePilotComponents.fromMeta(NullNode.getInstance()), empty);
        assertJson(LancePilotComponents.fromMeta(json("[]")), empty);
        assertJson(LancePilotComponents.toMeta(empty), json("[]"));
        assertJson(LancePilotComponents.toMeta(null), json("[]"));
    }

    @Test
    void theFormSharesNoNodeWithItsSource() {
        JsonNode meta = sample("wabasync_handwritten_templates.json", "summer_video_promo");
        JsonNode before = meta.deepCopy();

        ObjectNode lp = LancePilotComponents.fromMeta(meta);
        ((ObjectNode) lp.get("body")).put("text", "changed");
        ((ArrayNode) lp.get("body").get("variables")).add("changed");
        ((ObjectNode) lp.get("header").get("media")).put("handle", "changed");
        ((ObjectNode) lp.get("buttons").get(1)).put("url", "changed");
        ObjectNode lpBefore = lp.deepCopy();
        ArrayNode back = LancePilotComponents.toMeta(lp);
        ((ArrayNode) back.get(1).get("example").get("body_text").get(0)).add("changed again");
        ((ObjectNode) back.get(3).get("buttons").get(1)).put("text", "changed again");

        assertJson(meta, before);
        assertJson(lp, lpBefore);
    }

    // ---- LancePilot's create shapes to Meta ----

    @Test
    void aTextHeaderBodyFooterAndTheThreeDocumentedButtons() {
        JsonNode lp = json("""
                {"header": {"type": "text", "text": {"content": "Order #{{1}}", "variables": ["12345"]}},
                 "body": {"text": "Hi {{1}}, your order ships on {{2}}.", "variables": ["John", "May 1"]},
                 "footer": "Thanks for shopping with us",
                 "buttons": [{"type": "URL", "text": "Track", "url": "https://shop.example.com/track/{{1}}", "variables": ["12345"]},
                             {"type": "PHONE_NUMBER", "text": "Call us", "phone_number": "+15550100123"},
                             {"type": "QUICK_REPLY", "text": "Stop updates"}]}""");

        ArrayNode meta = LancePilotComponents.toMeta(lp);

        assertJson(meta, json("""
                [{"type": "HEADER", "format": "TEXT", "text": "Order #{{1}}", "example": {"header_text": ["12345"]}},
                 {"type": "BODY", "text": "Hi {{1}}, your order ships on {{2}}.", "example": {"body_text": [["John", "May 1"]]}},
                 {"type": "FOOTER", "text": "Thanks for shopping with us"},
                 {"type": "BUTTONS", "buttons": [
                   {"type": "URL", "text": "Track", "url": "https://shop.example.com/track/{{1}}", "example": ["12345"]},
                   {"type": "PHONE_NUMBER", "text": "Call us", "phone_number": "+15550100123"},
                   {"type": "QUICK_REPLY", "text": "Stop updates"}]}]"""));
        assertJson(LancePilotComponents.fromMeta(meta), lp);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"image, IMAGE", "video, VIDEO", "document, DOCUMENT"})
    void aMediaHeaderByHandle(String lancePilotType, String metaFormat) {
        JsonNode lp = json("""
                {"header": {"type": "media", "media": {"type": "%s", "handle": "4::aGFuZGxl:ARb-upload-handle"}},
                 "body": {"text": "Your %s is ready", "variables": []},
                 "footer": null,
                 "buttons": []}""".formatted(lancePilotType, lancePilotType));

        ArrayNode meta = LancePilotComponents.toMeta(lp);

        assertJson(meta, json("""
                [{"type": "HEADER", "format": "%s", "example": {"header_handle": ["4::aGFuZGxl:ARb-upload-handle"]}},
                 {"type": "BODY", "text": "Your %s is ready"}]""".formatted(metaFormat, lancePilotType)));
        assertJson(LancePilotComponents.fromMeta(meta), lp);
    }

    @Test
    void anAuthenticationBodyGivesMetasCopyCodeTemplate() {
        JsonNode lp = json("""
                {"header": null, "body": null, "footer": null, "buttons": [],
                 "addSecurityRecommendation": true, "codeExpirationMinutes": 10, "copyCodeButton": "Copy Code"}""");
        JsonNode expected = json("""
                [{"type": "BODY", "add_security_recommendation": true},
                 {"type": "FOOTER", "code_expiration_minutes": 10},
                 {"type": "BUTTONS", "buttons": [{"type": "OTP", "otp_type": "COPY_CODE", "text": "Copy Code"}]}]""");

        ArrayNode meta = LancePilotComponents.toMeta(lp);

        assertJson(meta, expected);
        assertJson(expected, sample("meta_openapi_v23_POST_create_and_edit_template_examples.json",
                "Create authentication template w/ OTP copy code button"));
        // Back in the form's own keys, which give the same array again.
        ObjectNode back = LancePilotComponents.fromMeta(meta);
        assertJson(back, json("""
                {"header": null, "body": {"text": null, "variables": [], "add_security_recommendation": true},
                 "footer": null, "code_expiration_minutes": 10,
                 "buttons": [{"type": "OTP", "otp_type": "COPY_CODE", "text": "Copy Code"}]}"""));
        assertJson(LancePilotComponents.toMeta(back), expected);
    }

    @Test
    void anOtpCodeIsTheBodysExampleAndACopyCodeButtonMayHaveMetasDefaultText() {
        JsonNode lp = json("""
                {"body": {"otp_code": "482913"}, "addSecurityRecommendation": false, "copyCodeButton": true}""");

        ArrayNode meta = LancePilotComponents.toMeta(lp);

        assertJson(meta, json("""
                [{"type": "BODY", "add_security_recommendation": false, "example": {"body_text": [["482913"]]}},
                 {"type": "BUTTONS", "buttons": [{"type": "OTP", "otp_type": "COPY_CODE"}]}]"""));
        assertJson(LancePilotComponents.fromMeta(meta).get("body"), json("""
                {"text": null, "variables": ["482913"], "add_security_recommendation": false}"""));
    }

    @Test
    void aWholeCreateBodyCanBeHandedOver() {
        JsonNode create = json("""
                {"name": "order_shipped", "language": "en", "category": "UTILITY",
                 "header": null, "body": {"text": "Shipped!"}, "footer": null, "buttons": null,
                 "unsubscribeButton": false, "copyCodeButton": false}""");

        assertJson(LancePilotComponents.toMeta(create), json("""
                [{"type": "BODY", "text": "Shipped!"}]"""));
    }

    @Test
    void extensionKeysGoBackWhereMetaHadThem() {
        JsonNode lp = json("""
                {"header": {"type": "location"},
                 "body": {"text": "Order {{order_id}}", "variables": [],
                          "example": {"body_text_named_params": [{"param_name": "order_id", "example": "42"}]}},
                 "footer": null,
                 "buttons": [{"type": "COPY_CODE", "example": "SAVE10"}],
                 "other_components": [{"type": "LIMITED_TIME_OFFER", "limited_time_offer": {"text": "Soon gone"}}],
                 "component_order": ["HEADER", "LIMITED_TIME_OFFER", "BODY", "BUTTONS"]}""");

        assertJson(LancePilotComponents.toMeta(lp), json("""
                [{"type": "HEADER", "format": "LOCATION"},
                 {"type": "LIMITED_TIME_OFFER", "limited_time_offer": {"text": "Soon gone"}},
                 {"type": "BODY", "text": "Order {{order_id}}",
                  "example": {"body_text_named_params": [{"param_name": "order_id", "example": "42"}]}},
                 {"type": "BUTTONS", "buttons": [{"type": "COPY_CODE", "example": "SAVE10"}]}]"""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedFormsAreRefusedNotGuessedAt(String why, String lancePilot, String message) {
        assertThatThrownBy(() -> LancePilotComponents.toMeta(json(lancePilot)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("a media file instead of a handle",
                        "{\"header\": {\"type\": \"media\", \"media\": {\"type\": \"image\", \"file\": \"https://x.example/a.png\"}}}",
                        "uploaded first"),
                Arguments.of("an unknown header type", "{\"header\": {\"type\": \"IMAGE\"}}", "header.type"),
                Arguments.of("an uppercase media type",
                        "{\"header\": {\"type\": \"media\", \"media\": {\"type\": \"IMAGE\", \"handle\": \"h\"}}}", "header.media.type"),
                Arguments.of("a number as a variable", "{\"body\": {\"text\": \"{{1}}\", \"variables\": [1]}}", "body.variables"),
                Arguments.of("otp_code beside variables",
                        "{\"body\": {\"text\": \"{{1}}\", \"variables\": [\"1\"], \"otp_code\": \"2\"}}", "otp_code"),
                Arguments.of("a URL button with variables and an example",
                        "{\"buttons\": [{\"type\": \"URL\", \"text\": \"t\", \"url\": \"u{{1}}\", \"variables\": [\"a\"], \"example\": [\"b\"]}]}",
                        "variables and example"),
                Arguments.of("camelCase and snake_case disagreeing",
                        "{\"code_expiration_minutes\": 5, \"codeExpirationMinutes\": 10}", "disagree"),
                Arguments.of("a fractional expiry", "{\"codeExpirationMinutes\": 2.5}", "whole number"),
                Arguments.of("a footer object", "{\"footer\": {\"text\": \"f\"}}", "footer"),
                Arguments.of("a component_order naming a missing component",
                        "{\"body\": {\"text\": \"b\"}, \"component_order\": [\"HEADER\"]}", "not there"),
                Arguments.of("components as an array", "[]", "object"));
    }

    /** LancePilot's opt-out flag is Meta's quick reply of that text, after the buttons given; blockButton has no Meta form. */
    @Test
    void theUnsubscribeButtonIsMetasOptOutQuickReply() {
        ArrayNode meta = LancePilotComponents.toMeta(json("""
                {"body": {"text": "Sale"}, "buttons": [{"type": "QUICK_REPLY", "text": "Tell me more"}],
                 "unsubscribeButton": true, "blockButton": true}"""));
        assertThat(meta.toString()).isEqualTo("""
                [{"type":"BODY","text":"Sale"},{"type":"BUTTONS","buttons":[{"type":"QUICK_REPLY","text":"Tell me more"},\
                {"type":"QUICK_REPLY","text":"Stop promotions"}]}]""");
        assertThat(LancePilotComponents.toMeta(json("{\"body\": {\"text\": \"Sale\"}, \"unsubscribeButton\": true}")).toString())
                .isEqualTo("[{\"type\":\"BODY\",\"text\":\"Sale\"},{\"type\":\"BUTTONS\",\"buttons\":[{\"type\":\"QUICK_REPLY\",\"text\":\"Stop promotions\"}]}]");
    }

    @Test
    void metaComponentsThatAreNotAnArrayAreRefused() {
        assertThatThrownBy(() -> LancePilotComponents.fromMeta(json("{\"type\": \"BODY\"}")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("array");
    }

    // ---- helpers ----

    /** Each template (an object with a components array) of each sample file, named by file and place. */
    static Stream<Arguments> metaSamples() {
        List<Arguments> templates = new ArrayList<>();
        for (Path file : sampleFiles()) {
            collectTemplates(file.getFileName().toString(), "", read(file), templates);
        }
        return templates.stream();
    }

    private static void collectTemplates(String name, String where, JsonNode node, List<Arguments> into) {
        if (node.path("components").isArray()) {
            String title = node.path("name").isTextual() ? " " + node.get("name").textValue() : "";
            into.add(Arguments.of(name + " " + (where.isEmpty() ? "(root)" : where) + title, node.get("components")));
            return; // a carousel's cards have components too, but they are part of this template
        }
        if (node.isObject()) {
            node.properties().forEach(field -> collectTemplates(name, where + "/" + field.getKey(), field.getValue(), into));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collectTemplates(name, where + "[" + i + "]", node.get(i), into);
            }
        }
    }

    /** The components of the template of that file whose name, or key, is {@code template}. */
    private static JsonNode sample(String file, String template) {
        List<JsonNode> found = metaSamples().filter(arguments -> {
            String name = (String) arguments.get()[0];
            return name.startsWith(file + " ") && (name.endsWith(" " + template) || name.endsWith("/" + template)
                    || name.contains("/" + template + " "));
        }).map(arguments -> (JsonNode) arguments.get()[1]).collect(Collectors.toList());
        assertThat(found).as("templates named %s in %s", template, file).hasSize(1);
        return found.get(0);
    }

    private static List<Path> sampleFiles() {
        URL directory = LancePilotComponentsTest.class.getResource(SAMPLES);
        assertThat(directory).as("test resource " + SAMPLES).isNotNull();
        try (Stream<Path> files = Files.list(Path.of(directory.toURI()))) {
            return files.filter(file -> file.toString().endsWith(".json")).sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode json(String text) {
        try {
            return new ObjectMapper().readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode media(String type, String handle) {
        ObjectNode header = (ObjectNode) json("{\"type\": \"media\", \"media\": {}}");
        ((ObjectNode) header.get("media")).put("type", type).put("handle", handle);
        return header;
    }

    /** JsonNode equality (key order aside), shown as JSON: AssertJ would print a node as the iterable it also is. */
    private static void assertJson(JsonNode actual, JsonNode expected) {
        assertJson("", actual, expected);
    }

    private static void assertJson(String what, JsonNode actual, JsonNode expected) {
        assertThat(actual != null && actual.equals(expected))
                .as("%s expected%n%s%nbut was%n%s", what, expected.toPrettyString(), actual == null ? "null" : actual.toPrettyString())
                .isTrue();
    }
}
