package io.wabasync.template.twochat;

import java.util.List;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** 2Chat's page of templates: zero-based {@code page}, {@code next_page} null on the last one. */
@RegisterForReflection
public record TwoChatTemplatePage(boolean success, List<TwoChatTemplateView> templates, long total, int page,
        Integer nextPage) {
}
