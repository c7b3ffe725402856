package io.wabasync.template.twochat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.util.RawValue;

import io.smallrye.mutiny.Uni;
import io.wabasync.channel.PhoneCountries;
import io.wabasync.template.ListedTemplate;
import io.wabasync.template.NumberTemplates;
import io.wabasync.template.TemplateService;

/** 2Chat's template list at the edge: a number's page from the read path, in 2Chat's shape. */
@ApplicationScoped
class TwoChatTemplates {

    private final TemplateService templates;
    private final TwoChatContent content;
    private final PhoneCountries countries;
    private final ObjectMapper json;

    TwoChatTemplates(TemplateService templates, TwoChatContent content, PhoneCountries countries, ObjectMapper json) {
        this.templates = templates;
        this.content = content;
        this.countries = countries;
        this.json = json;
    }

    /** A zero-based page; {@code next_page} is null on the last one. */
    Uni<TwoChatTemplatePage> page(UUID workspaceId, String phoneNumber, int page, int pageSize) {
        return templates.ofNumber(workspaceId, phoneNumber, page, pageSize).map(listed -> {
            // Every template of the page carries the same number: written once, its bytes copied 50 times.
            JsonNode waba = once(TwoChatWaba.of(listed.channel(), countries.isoCountryCode(listed.channel().phoneNumber)));
            List<TwoChatTemplateView> views = new ArrayList<>(listed.templates().size());
            for (ListedTemplate t : listed.templates()) {
                views.add(view(t, waba));
            }
            return new TwoChatTemplatePage(true, views, listed.total(), page,
                    (long) (page + 1) * pageSize < listed.total() ? page + 1 : null);
        });
    }

    private TwoChatTemplateView view(ListedTemplate t, JsonNode waba) {
        return new TwoChatTemplateView(t.id().toString(), t.name(), t.status(), t.category(),
                content.of(t.componentsKey(), t.components()), t.description(), t.updatedAt(), waba, t.providerId(),
                t.language(), content.components(t.componentsKey(), t.components()), t.rejectedReason(),
                t.qualityScore());
    }

    private JsonNode once(TwoChatWaba waba) {
        try {
            return JsonNodeFactory.instance.rawValueNode(new RawValue(new SerializedString(json.writeValueAsString(waba))));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A number that Jackson cannot write", e);
        }
    }
}
