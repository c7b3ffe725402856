package io.wabasync.common;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;

import io.quarkus.jackson.ObjectMapperCustomizer;

/**
 * Both hosted APIs we mimic speak snake_case ({@code is_syncing}, {@code start_time_syncing},
 * {@code per_page}), and so do Meta's payloads; every DTO record is mapped with it.
 *
 * <p>Set in code rather than with {@code quarkus.jackson.property-naming-strategy=SNAKE_CASE}: that
 * setting names the strategy by a word Quarkus turns into a class loaded with {@code Class.forName}
 * at start, which a native binary cannot do for a class nobody registered (the first native build
 * exited with {@code ClassNotFoundException: PropertyNamingStrategies$SnakeCaseStrategy}). Here the
 * class is referenced, so native-image sees it like any other code.
 */
@Singleton
class SnakeCaseJson implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
    }
}
