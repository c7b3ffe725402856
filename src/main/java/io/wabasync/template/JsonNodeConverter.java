package io.wabasync.template;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Template components as JSON text. Hibernate Reactive's own JSON mapping decodes a column into a
 * JSON object, while Meta's components are an array; going through text keeps them exactly as Meta
 * sent them, in a {@code jsonb} column (see the casts on {@link Template#components}).
 */
@Converter
public class JsonNodeConverter implements AttributeConverter<JsonNode, String> {

    /** A plain mapper: the REST layer's snake_case naming must not touch stored JSON. */
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Override
    public String convertToDatabaseColumn(JsonNode value) {
        return value == null || value.isNull() ? null : value.toString();
    }

    @Override
    public JsonNode convertToEntityAttribute(String text) {
        if (text == null) {
            return null;
        }
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored template components are not valid JSON", e);
        }
    }
}
