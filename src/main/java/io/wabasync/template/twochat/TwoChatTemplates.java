package io.wabasync.template.twochat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

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

    TwoChatTemplates(TemplateService templates, TwoChatContent content, PhoneCountries countries) {
        this.templates = templates;
        this.content = content;
        this.countries = countries;
    }

    /** A zero-based page; {@code next_page} is null on the last one. */
    Uni<TwoChatTemplatePage> page(UUID workspaceId, String phoneNumber, int page, int pageSize) {
        return templates.ofNumber(workspaceId, phoneNumber, page, pageSize).map(listed -> {
            TwoChatWaba waba = TwoChatWaba.of(listed.channel(),
                    countries.isoCountryCode(listed.channel().phoneNumber));
            List<TwoChatTemplateView> views = new ArrayList<>(listed.templates().size());
            for (ListedTemplate t : listed.templates()) {
                views.add(view(t, waba));
            }
            return new TwoChatTemplatePage(true, views, listed.total(), page,
                    (long) (page + 1) * pageSize < listed.total() ? page + 1 : null);
        });
    }

    private TwoChatTemplateView view(ListedTemplate t, TwoChatWaba waba) {
        return new TwoChatTemplateView(t.id().toString(), t.name(), t.status(), t.category(), content.of(t.componentsKey(), t.components()),
                t.description(), t.updatedAt(), waba, t.providerId(), t.language(), content.components(t.componentsKey(), t.components()),
                t.rejectedReason(), t.qualityScore());
    }
}
