package io.wabasync.template;

import java.util.List;

import io.wabasync.channel.Channel;

/** One page of a number's listed templates (2Chat's list), with the number and how many it has in all. */
public record NumberTemplates(Channel channel, long total, List<ListedTemplate> templates) {
}
