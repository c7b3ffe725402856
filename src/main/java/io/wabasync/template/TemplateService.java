package io.wabasync.template;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import io.wabasync.channel.ChannelService;
import io.wabasync.common.ApiException;
import io.wabasync.common.Ids;
import io.wabasync.common.Paged;

@ApplicationScoped
public class TemplateService {

    private final TemplateRepository templates;
    private final TemplateStatusChangeRepository history;
    private final ChannelService channels;
    private final TemplateListing listing;

    public TemplateService(TemplateRepository templates, TemplateStatusChangeRepository history,
            ChannelService channels, TemplateListing listing) {
        this.templates = templates;
        this.history = history;
        this.channels = channels;
        this.listing = listing;
    }

    /** LancePilot's template list: one-based pages of the workspace's templates, filtered. */
    public Uni<Paged<TemplateView>> page(UUID workspaceId, TemplateFilter filter, int page, int perPage) {
        return listing.lancePilotPage(workspaceId, filter, page, perPage);
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
    public Uni<TwoChatTemplatePage> twoChatPage(UUID workspaceId, String phoneNumber, int page, int pageSize) {
        return listing.twoChatPage(workspaceId, phoneNumber, page, pageSize);
    }
}
