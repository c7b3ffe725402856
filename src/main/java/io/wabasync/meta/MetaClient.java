package io.wabasync.meta;

import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.rest.client.inject.RestClient;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * The one way into Meta. Reads a WABA's templates page by page, as a stream, so that a caller
 * can store each page before the next is asked for and never holds a whole WABA.
 */
@ApplicationScoped
public class MetaClient {

    /** Only what we store: Meta sends less, and faster, when asked for less. */
    static final String TEMPLATE_FIELDS = "id,name,language,status,category,components,rejected_reason,quality_score";

    private final MetaGraphApi api;
    private final MetaConfig config;

    public MetaClient(@RestClient MetaGraphApi api, MetaConfig config) {
        this.api = api;
        this.config = config;
    }

    /** Every page of a WABA's templates, following the cursor until Meta gives no {@code next}. */
    public Multi<List<MetaTemplate>> templatePages(String wabaId, String accessToken) {
        AtomicReference<String> cursor = new AtomicReference<>();
        return Multi.createBy().repeating()
                .uni(() -> templatePage(wabaId, accessToken, cursor.get())
                        .invoke(page -> cursor.set(page.nextCursor())))
                // whilst() still emits the page that ends the repetition: the last page is stored too.
                .whilst(page -> page.nextCursor() != null)
                .map(MetaTemplatePage::data);
    }

    /** One page; {@code after} is null for the first. */
    public Uni<MetaTemplatePage> templatePage(String wabaId, String accessToken, String after) {
        return api.messageTemplates(config.apiVersion(), wabaId, "Bearer " + accessToken, TEMPLATE_FIELDS,
                config.pageSize(), after)
                .onFailure().transform(MetaClient::describe)
                .invoke(page -> {
                    if (page == null || page.data() == null) {
                        throw new MetaApiException(200, null, null,
                                "Meta answered without a 'data' list (malformed response)", null);
                    }
                });
    }

    private static Throwable describe(Throwable failure) {
        if (failure instanceof MetaApiException) {
            return failure;
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof JsonProcessingException) {
                return new MetaApiException(200, null, null, "Meta answered with a malformed body", failure);
            }
            if (t instanceof TimeoutException || t.getClass().getSimpleName().contains("Timeout")) {
                return new MetaApiException(0, null, null, "Meta did not answer in time", failure);
            }
        }
        return new MetaApiException(0, null, null, "Meta could not be reached: " + failure.getClass().getSimpleName(),
                failure);
    }
}
