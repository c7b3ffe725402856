package io.wabasync.template;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import io.wabasync.channel.Channel;
import io.wabasync.channel.ChannelService;
import io.wabasync.channel.PhoneCountries;
import io.wabasync.common.ApiException;
import io.wabasync.common.Ids;
import io.wabasync.common.Paged;

@ApplicationScoped
public class TemplateService {

    private final TemplateRepository templates;
    private final TemplateStatusChangeRepository history;
    private final ChannelService channels;
    private final PhoneCountries countries;

    public TemplateService(TemplateRepository templates, TemplateStatusChangeRepository history,
            ChannelService channels, PhoneCountries countries) {
        this.templates = templates;
        this.history = history;
        this.channels = channels;
        this.countries = countries;
    }

    /** LancePilot's template list: one-based pages of the workspace's templates, filtered. */
    @WithSession
    public Uni<Paged<TemplateView>> page(UUID workspaceId, TemplateFilter filter, int page, int perPage) {
        // One after the other: a session never runs two operations at once.
        return channels.list(workspaceId).chain(list -> {
            Map<UUID, String> phones = list.stream().collect(Collectors.toMap(c -> c.id, c -> c.phoneNumber));
            UUID channelId = null;
            if (filter.phoneNumber() != null) {
                channelId = list.stream().filter(c -> c.phoneNumber.equals(filter.phoneNumber()))
                        .map(c -> c.id).findFirst().orElse(null);
                if (channelId == null) {
                    return Uni.createFrom().item(Paged.<TemplateView>of(List.of(), page, perPage, 0));
                }
            }
            UUID channel = channelId;
            return templates.countInWorkspace(workspaceId, channel, filter)
                    .chain(total -> templates.pageInWorkspace(workspaceId, channel, filter, page - 1, perPage)
                            .map(rows -> Paged.of(rows.stream().map(t -> TemplateView.of(t, phones.get(t.channelId)))
                                    .toList(), page, perPage, total)));
        });
    }

    /** One template of the workspace with its status history, or 404. */
    @WithSession
    public Uni<TemplateDetailView> detail(UUID workspaceId, String templateId) {
        return templates.findByNumberInWorkspace(workspaceId, number(templateId))
                .onItem().ifNull().failWith(() -> ApiException.notFound("Template not found"))
                .chain(template -> channels.list(workspaceId).chain(list -> history.historyOf(template.id)
                        .map(changes -> new TemplateDetailView(
                                TemplateView.of(template, list.stream().filter(c -> c.id.equals(template.channelId))
                                        .map(c -> c.phoneNumber).findFirst().orElse(null)),
                                template.components,
                                changes.stream().map(TemplateDetailView.StatusChangeView::of).toList()))));
    }

    /** LancePilot's template ids are integers: anything else names no template. */
    static long number(String id) {
        if (id == null || !id.matches("[1-9][0-9]{0,17}")) {
            throw ApiException.notFound("Template not found");
        }
        return Long.parseLong(id);
    }

    /** One zero-based page of a number's current templates (removed ones are not listed). */
    @WithSession
    public Uni<TwoChatTemplatePage> twoChatPage(UUID workspaceId, String phoneNumber, int page, int pageSize) {
        return channels.requireByPhone(workspaceId, phoneNumber).chain(channel -> twoChatPage(channel, page, pageSize));
    }

    private Uni<TwoChatTemplatePage> twoChatPage(Channel channel, int page, int pageSize) {
        TwoChatWaba waba = TwoChatWaba.of(channel, countries.isoCountryCode(channel.phoneNumber));
        // Sequential on purpose: one session never runs two operations at once.
        return templates.countVisible(channel.id).chain(total -> templates.listVisible(channel.id, page, pageSize)
                .map(list -> new TwoChatTemplatePage(true, list.stream().map(t -> TwoChatTemplateView.of(t, waba)).toList(),
                        total, page, (long) (page + 1) * pageSize < total ? page + 1 : null)));
    }
}
