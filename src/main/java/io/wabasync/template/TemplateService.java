package io.wabasync.template;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import io.wabasync.channel.ChannelService;

@ApplicationScoped
public class TemplateService {

    private final TemplateRepository templates;
    private final ChannelService channels;

    public TemplateService(TemplateRepository templates, ChannelService channels) {
        this.templates = templates;
        this.channels = channels;
    }

    /** One zero-based page of a number's current templates (removed ones are not listed). */
    @WithSession
    public Uni<TwoChatTemplatePage> twoChatPage(UUID workspaceId, String phoneNumber, int page, int pageSize) {
        return channels.requireByPhone(workspaceId, phoneNumber).chain(channel -> twoChatPage(channel.id, page, pageSize));
    }

    private Uni<TwoChatTemplatePage> twoChatPage(UUID channelId, int page, int pageSize) {
        // Sequential on purpose: one session never runs two operations at once.
        return templates.countVisible(channelId).chain(total -> templates.listVisible(channelId, page, pageSize)
                .map(list -> new TwoChatTemplatePage(true, list.stream().map(TwoChatTemplateView::of).toList(),
                        total, page, (long) (page + 1) * pageSize < total ? page + 1 : null)));
    }
}
