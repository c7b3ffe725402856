package io.wabasync.sync;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.wabasync.meta.MetaTemplate;
import io.wabasync.template.Template;
import io.wabasync.template.TemplateRepository;
import io.wabasync.template.TemplateStatusChange;
import io.wabasync.template.TemplateStatusChangeRepository;
import io.wabasync.common.Timestamps;

/**
 * The sync engine's writes. Each method is one short transaction; none is ever held across a call
 * to Meta.
 */
@ApplicationScoped
class SyncStore {

    private final SyncJobRepository jobs;
    private final TemplateRepository templates;
    private final TemplateStatusChangeRepository history;

    SyncStore(SyncJobRepository jobs, TemplateRepository templates, TemplateStatusChangeRepository history) {
        this.jobs = jobs;
        this.templates = templates;
        this.history = history;
    }

    @WithTransaction
    Uni<SyncJob> claim(SyncTarget target, String kind) {
        UUID jobId = UUID.randomUUID();
        return jobs.insertRunningUnlessAnother(jobId, target.workspaceId(), target.channelId(), kind, Timestamps.now())
                .chain(inserted -> inserted == 1 ? jobs.findById(jobId) : Uni.createFrom().nullItem());
    }

    @WithSession
    Uni<SyncJob> running(UUID channelId) {
        return jobs.findRunning(channelId);
    }

    /**
     * Stores one Meta page: one query for what we already have, then inserts and updates flushed
     * as JDBC-style batches at commit. Unchanged templates are not written at all.
     */
    @WithTransaction
    Uni<PageOutcome> storePage(UUID jobId, SyncTarget target, List<MetaTemplate> page) {
        Instant now = Timestamps.now();
        Map<String, MetaTemplate> incoming = new LinkedHashMap<>();
        int skipped = 0;
        for (MetaTemplate t : page) {
            if (isComplete(t)) {
                incoming.put(t.id(), t);
            } else {
                skipped++;
            }
        }
        int malformed = skipped;
        if (incoming.isEmpty()) {
            return jobs.recordPage(jobId, 0, 0, 0, malformed, now)
                    .replaceWith(new PageOutcome(List.of(), 0, 0, malformed));
        }
        return templates.findByProviderIds(target.channelId(), incoming.keySet()).chain(existing -> {
            Map<String, Template> stored = existing.stream()
                    .collect(Collectors.toMap(t -> t.providerId, Function.identity()));
            List<Template> created = new ArrayList<>();
            List<TemplateStatusChange> changes = new ArrayList<>();
            int updated = 0;
            for (MetaTemplate meta : incoming.values()) {
                Template template = stored.get(meta.id());
                if (template == null) {
                    template = newTemplate(target, meta, now);
                    created.add(template);
                    changes.add(TemplateStatusChange.of(template.id, null, template.status, now,
                            TemplateStatusChange.SOURCE_SYNC));
                } else if (differs(template, meta)) {
                    String before = template.status;
                    apply(template, meta, now);
                    updated++;
                    if (!Objects.equals(before, template.status)) {
                        changes.add(TemplateStatusChange.of(template.id, before, template.status, now,
                                TemplateStatusChange.SOURCE_SYNC));
                    }
                }
            }
            int updatedCount = updated;
            return persistAll(templates, created)
                    .chain(() -> persistAll(history, changes))
                    .chain(() -> jobs.recordPage(jobId, incoming.size(), created.size(), updatedCount, malformed, now))
                    .replaceWith(new PageOutcome(List.copyOf(incoming.keySet()), created.size(), updatedCount, malformed));
        });
    }

    /** After the last page: what Meta no longer lists is marked removed, and the job succeeds. */
    @WithTransaction
    Uni<Integer> succeed(UUID jobId, UUID channelId, Collection<String> seenProviderIds) {
        Instant now = Timestamps.now();
        return templates.markRemovedExcept(channelId, seenProviderIds, now)
                .call(removed -> jobs.markSucceeded(jobId, removed, now));
    }

    @WithTransaction
    Uni<Integer> fail(UUID jobId, String error) {
        return jobs.markFailed(jobId, error, Timestamps.now());
    }

    /** Panache refuses an empty batch; most pages of a resync create nothing. */
    private static <E> Uni<Void> persistAll(PanacheRepositoryBase<E, UUID> repository, List<E> entities) {
        return entities.isEmpty() ? Uni.createFrom().voidItem() : repository.persist(entities);
    }

    private static boolean isComplete(MetaTemplate t) {
        return t != null && notBlank(t.id()) && notBlank(t.name()) && notBlank(t.language()) && notBlank(t.status());
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }

    private static Template newTemplate(SyncTarget target, MetaTemplate meta, Instant now) {
        Template template = new Template();
        template.id = UUID.randomUUID();
        template.workspaceId = target.workspaceId();
        template.channelId = target.channelId();
        template.providerId = meta.id();
        template.createdAt = now;
        apply(template, meta, now);
        return template;
    }

    private static boolean differs(Template t, MetaTemplate m) {
        return t.removedAt != null
                || !Objects.equals(t.name, m.name())
                || !Objects.equals(t.language, m.language())
                || !Objects.equals(t.status, m.status())
                || !Objects.equals(t.category, m.category())
                || !Objects.equals(t.rejectedReason, m.rejectedReason())
                || !Objects.equals(t.qualityScore, m.qualityScoreText())
                || !Objects.equals(t.components, m.components());
    }

    private static void apply(Template t, MetaTemplate m, Instant now) {
        t.name = m.name();
        t.language = m.language();
        t.status = m.status();
        t.category = m.category();
        t.rejectedReason = m.rejectedReason();
        t.qualityScore = m.qualityScoreText();
        t.components = m.components();
        t.removedAt = null;
        t.updatedAt = now;
    }
}
