package io.wabasync.template;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import io.wabasync.channel.ChannelService;
import io.wabasync.common.ApiException;
import io.wabasync.common.Paged;

/** The read path: a workspace's templates as lists and one by one, in the model's terms; each surface shapes them. */
@ApplicationScoped
public class TemplateService {

    private final TemplateRepository templates;
    private final StatusHistoryRepository history;
    private final ChannelService channels;
    private final TemplateListing listing;

    public TemplateService(TemplateRepository templates, StatusHistoryRepository history, ChannelService channels,
            TemplateListing listing) {
        this.templates = templates;
        this.history = history;
        this.channels = channels;
        this.listing = listing;
    }

    /** One-based pages of the workspace's templates, filtered (LancePilot's list). */
    public Uni<Paged<ListedTemplate>> page(UUID workspaceId, TemplateFilter filter, int page, int perPage) {
        return listing.ofWorkspace(workspaceId, filter, page, perPage);
    }

    /** One zero-based page of a number's current templates (2Chat's list; removed ones are not listed). */
    public Uni<NumberTemplates> ofNumber(UUID workspaceId, String phoneNumber, int page, int pageSize) {
        return listing.ofNumber(workspaceId, phoneNumber, page, pageSize);
    }

    /** One template of the workspace by LancePilot's integer id, with its number and status history, or 404. */
    @WithSession
    public Uni<TemplateDetail> detail(UUID workspaceId, String templateId) {
        return templates.findByNumberInWorkspace(workspaceId, number(templateId))
                .onItem().ifNull().failWith(() -> ApiException.notFound("Template not found"))
                .chain(template -> withHistory(workspaceId, template));
    }

    /** One template of the workspace by its uuid (null when there is none), with its number. */
    @WithSession
    public Uni<TemplateDetail> find(UUID workspaceId, UUID templateId) {
        return templates.findInWorkspace(workspaceId, templateId).chain(template -> template == null
                ? Uni.createFrom().nullItem()
                : phoneNumber(workspaceId, template).map(phone -> new TemplateDetail(template, phone, null)));
    }

    /** One template of the workspace by its uuid with its number and status history (null when there is none). */
    @WithSession
    public Uni<TemplateDetail> withHistory(UUID workspaceId, UUID templateId) {
        return templates.findInWorkspace(workspaceId, templateId).chain(template -> template == null
                ? Uni.createFrom().nullItem()
                : withHistory(workspaceId, template));
    }

    private Uni<TemplateDetail> withHistory(UUID workspaceId, Template template) {
        return phoneNumber(workspaceId, template).chain(phone -> history.historyOf(template.id)
                .map(steps -> new TemplateDetail(template, phone, steps)));
    }

    /** LancePilot's template ids are integers: anything else names no template. */
    public static long number(String id) {
        if (id == null || !id.matches("[1-9][0-9]{0,17}")) {
            throw ApiException.notFound("Template not found");
        }
        return Long.parseLong(id);
    }

    private Uni<String> phoneNumber(UUID workspaceId, Template template) {
        return channels.list(workspaceId).map(list -> list.stream().filter(c -> c.id.equals(template.channelId))
                .map(c -> c.phoneNumber).findFirst().orElse(null));
    }
}
