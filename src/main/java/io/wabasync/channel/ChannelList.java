package io.wabasync.channel;

import java.util.List;

import io.quarkus.runtime.annotations.RegisterForReflection;

@RegisterForReflection
public record ChannelList(boolean success, List<ChannelView> data) {
}
