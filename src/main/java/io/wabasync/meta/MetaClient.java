package io.wabasync.meta;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.resteasy.reactive.RestResponse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import io.smallrye.faulttolerance.api.CircuitBreakerName;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.wabasync.common.ContextDelays;

/**
 * The one way into Meta. Reads a WABA's templates page by page, as a stream, so that a caller can
 * store each page before the next is asked for and never holds a whole WABA.
 *
 * <p>Each page is guarded: a timeout; retries with exponential backoff and jitter for transient
 * failures only (network, timeouts, 5xx, Graph codes 1 and 2), never for a bad token, a wrong id or
 * a missing permission; a circuit breaker that opens only on Meta-wide trouble (timeouts, 5xx), so
 * one customer's bad token never cuts the others off. Rate limits are not retried blindly: the
 * stream waits the time Meta asks, up to a bound, or fails with that time.
 */
@ApplicationScoped
public class MetaClient {

    /** Only what we store: Meta sends less, and faster, when asked for less. */
    static final String TEMPLATE_FIELDS = "id,name,language,status,category,components,rejected_reason,quality_score,"
            + "previous_category,correct_category,sub_category,parameter_format,message_send_ttl_seconds";
    static final String PHONE_NUMBER_FIELDS = "id,display_phone_number,verified_name";
    static final String CIRCUIT_BREAKER = "meta-graph-api";
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(MetaClient.class);
    private static final int RATE_LIMIT_WAITS = 3;

    private final MetaGraphApi api;
    private final MetaConfig config;
    private final MetaMetrics metrics;

    public MetaClient(@RestClient MetaGraphApi api, MetaConfig config, MetaMetrics metrics) {
        this.api = api;
        this.config = config;
        this.metrics = metrics;
    }

    /**
     * Every page of a WABA's templates, following the cursor until Meta gives no {@code next}. With
     * {@code readAhead}, the next page is asked for as soon as one arrives, so it travels while the
     * caller stores the current one; at most one page waits in memory.
     */
    public Multi<List<MetaTemplate>> templatePages(String wabaId, String accessToken, boolean readAhead) {
        AtomicReference<Uni<FetchedPage>> next = new AtomicReference<>(
                pageWithinRateLimits(wabaId, accessToken, null, 0));
        return Multi.createBy().repeating()
                .uni(() -> next.get().invoke(fetched -> {
                    String cursor = fetched.page().nextCursor();
                    if (cursor != null) {
                        Uni<FetchedPage> following = pauseBefore(fetched.pauseBeforeNext())
                                .chain(() -> pageWithinRateLimits(wabaId, accessToken, cursor, 0));
                        if (readAhead) {
                            following = following.memoize().indefinitely();
                            following.subscribe().with(ignored -> { }, ignored -> { });
                        }
                        next.set(following);
                    }
                }))
                // whilst() still emits the page that ends the repetition: the last page is stored too.
                .whilst(fetched -> fetched.page().nextCursor() != null)
                .map(fetched -> fetched.page().data());
    }

    /**
     * Meta served the last page but said usage is near its limit: wait the time it asks before the
     * next one, or, if that is longer than a sync may wait, stop here (the pages read are kept).
     */
    private Uni<Void> pauseBefore(Duration pause) {
        if (pause.compareTo(config.rateLimit().maxWait()) > 0) {
            return Uni.createFrom().failure(new MetaRateLimitException(200, null, null,
                    "Meta's usage for this WABA is near its limit; it asks to wait " + pause.toMinutes() + " min", pause));
        }
        return ContextDelays.after(pause);
    }

    /**
     * One page, waiting out rate limits Meta puts a time on when that time is short; a longer one
     * ends the read with a {@link MetaRateLimitException} that says until when.
     */
    private Uni<FetchedPage> pageWithinRateLimits(String wabaId, String accessToken, String after, int waits) {
        return templatePage(wabaId, accessToken, after)
                .onFailure(e -> e instanceof TimeoutException || e instanceof CircuitBreakerOpenException)
                .invoke(metrics::failed)
                .onFailure(TimeoutException.class).transform(e -> new MetaTransientException(0, null, null,
                        "Meta did not answer in time", e))
                .onFailure(CircuitBreakerOpenException.class).transform(e -> new MetaTransientException(0, null, null,
                        "Meta is failing for many requests at the moment (circuit open); not calling it for now", e))
                .onFailure(MetaRateLimitException.class).recoverWithUni(failure -> {
                    MetaRateLimitException limited = withDefaultWait((MetaRateLimitException) failure);
                    if (waits < RATE_LIMIT_WAITS && limited.retryAfter().compareTo(config.rateLimit().maxWait()) <= 0) {
                        return ContextDelays.after(limited.retryAfter())
                                .chain(() -> pageWithinRateLimits(wabaId, accessToken, after, waits + 1));
                    }
                    return Uni.createFrom().failure(limited);
                });
    }

    /**
     * Meta's verified business name of one of the WABA's numbers, or null when Meta does not name
     * it. One short try: a name is nice to show, never worth holding up a connect or a sync, so
     * neither retries nor the templates' circuit breaker apply.
     */
    @Timeout(value = 5, unit = ChronoUnit.SECONDS)
    public Uni<String> verifiedName(String wabaId, String accessToken, String phoneNumber) {
        return api.phoneNumbers(config.apiVersion(), wabaId, "Bearer " + accessToken, PHONE_NUMBER_FIELDS)
                .onFailure().transform(MetaClient::describe)
                .map(numbers -> numbers == null ? null : numbers.verifiedNameOf(phoneNumber));
    }

    /**
     * Creates a template at Meta. Never retried, and no circuit breaker trips on it: a create is not
     * idempotent, so after a failure without an answer (a timeout, a cut connection) the caller must
     * ask Meta what happened ({@link #templatesNamed}) before it tries again. Such a failure is a
     * {@link MetaTransientException}; a refusal carries Meta's code and words.
     */
    public Uni<MetaCreatedTemplate> createTemplate(String wabaId, String accessToken, JsonNode template) {
        return write(api.createTemplate(config.apiVersion(), wabaId, "Bearer " + accessToken, template),
                "Meta did not answer the create in time; whether it created the template is not known yet");
    }

    /**
     * Edits a template at Meta: its components (as a whole) and, when given, its category. Not
     * retried: every edit counts against Meta's limits for an approved template.
     */
    public Uni<Void> editTemplate(String templateId, String accessToken, JsonNode edit) {
        return write(api.editTemplate(config.apiVersion(), templateId, "Bearer " + accessToken, edit),
                "Meta did not answer the edit in time").replaceWithVoid();
    }

    /**
     * Deletes one template at Meta: by name and {@code hsm_id}, so only that language goes. Safe to
     * repeat (a template already gone is the caller's success), so transient failures are retried.
     */
    @Retry(maxRetries = 3, delay = 500, delayUnit = ChronoUnit.MILLIS, jitter = 250, jitterDelayUnit = ChronoUnit.MILLIS,
            retryOn = { MetaTransientException.class, TimeoutException.class })
    @ExponentialBackoff(factor = 2, maxDelay = 8, maxDelayUnit = ChronoUnit.SECONDS)
    public Uni<Void> deleteTemplate(String wabaId, String accessToken, String name, String templateId) {
        return write(api.deleteTemplate(config.apiVersion(), wabaId, "Bearer " + accessToken, name, templateId),
                "Meta did not answer the delete in time").replaceWithVoid();
    }

    /**
     * A media file through Meta's Resumable Upload API (a session for the app, then the bytes): the
     * handle a template's media header takes. Not retried: a second session is a second upload.
     */
    public Uni<String> uploadMedia(String appId, String accessToken, byte[] bytes, String mimeType) {
        return write(api.startUpload(config.apiVersion(), appId, "OAuth " + accessToken, bytes.length, mimeType),
                "Meta did not open the upload in time")
                .chain(session -> {
                    String id = session == null ? "" : session.path("id").asText();
                    if (id.isEmpty()) {
                        return Uni.createFrom().failure(new MetaApiException(MetaApiException.Kind.MALFORMED, 200, null,
                                null, "Meta opened no upload session", null));
                    }
                    int query = id.indexOf("?sig=");
                    String path = query < 0 ? id : id.substring(0, query);
                    String signature = query < 0 ? null : id.substring(query + 5);
                    return write(api.upload(config.apiVersion(), path, signature, "OAuth " + accessToken, "0", bytes),
                            "Meta did not take the uploaded file in time");
                })
                .map(answer -> {
                    String handle = answer == null ? "" : answer.path("h").asText();
                    if (handle.isEmpty()) {
                        throw new MetaApiException(MetaApiException.Kind.MALFORMED, 200, null, null,
                                "Meta's upload gave no handle", null);
                    }
                    return handle;
                });
    }

    /** A change at Meta: bounded by the write timeout (then {@code late} says what is not known), counted. */
    private <T> Uni<T> write(Uni<T> call, String late) {
        return call.ifNoItem().after(config.writeTimeout()).failWith(() -> new MetaTransientException(0, null, null, late, null))
                .onFailure().transform(MetaClient::describe)
                .invoke(metrics::succeeded)
                .onFailure().invoke(metrics::failed);
    }

    /**
     * Meta's templates of one name, every language (a name exists at most once per language, so one
     * page holds them all). Reading is safe to retry.
     */
    @Timeout(value = 30, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 3, delay = 500, delayUnit = ChronoUnit.MILLIS, jitter = 250, jitterDelayUnit = ChronoUnit.MILLIS,
            retryOn = { MetaTransientException.class, TimeoutException.class })
    @ExponentialBackoff(factor = 2, maxDelay = 8, maxDelayUnit = ChronoUnit.SECONDS)
    public Uni<List<MetaTemplate>> templatesNamed(String wabaId, String accessToken, String name) {
        return api.templatesNamed(config.apiVersion(), wabaId, "Bearer " + accessToken, TEMPLATE_FIELDS, name)
                .onFailure().transform(MetaClient::describe)
                .map(page -> page == null || page.data() == null ? List.<MetaTemplate>of()
                        : page.data().stream().filter(t -> t != null && name.equals(t.name())).toList());
    }

    /** One guarded call to Meta; {@code after} is null for the first page. */
    @Timeout(value = 30, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 3, delay = 500, delayUnit = ChronoUnit.MILLIS, jitter = 250, jitterDelayUnit = ChronoUnit.MILLIS,
            retryOn = { MetaTransientException.class, TimeoutException.class })
    @ExponentialBackoff(factor = 2, maxDelay = 8, maxDelayUnit = ChronoUnit.SECONDS)
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 30, delayUnit = ChronoUnit.SECONDS,
            successThreshold = 2, failOn = { MetaTransientException.class, TimeoutException.class })
    @CircuitBreakerName(CIRCUIT_BREAKER)
    Uni<FetchedPage> templatePage(String wabaId, String accessToken, String after) {
        return api.messageTemplates(config.apiVersion(), wabaId, "Bearer " + accessToken, TEMPLATE_FIELDS,
                config.pageSize(), after)
                .onFailure().transform(MetaClient::describe)
                .map(this::fetched)
                .invoke(metrics::succeeded)
                .onFailure().invoke(metrics::failed);
    }

    private FetchedPage fetched(RestResponse<MetaTemplatePage> response) {
        MetaTemplatePage page = response.getEntity();
        if (page == null || page.data() == null) {
            throw new MetaApiException(MetaApiException.Kind.MALFORMED, 200, null, null,
                    "Meta answered without a 'data' list (malformed response)", null);
        }
        UseCaseUsage usage = UseCaseUsage.parse(response.getHeaderString(MetaGraphApi.USAGE_HEADER));
        boolean nearLimit = usage.nearLimit(config.rateLimit().usageThresholdPercent());
        if (nearLimit) {
            LOG.infof("Meta usage at %d%% of its limit; regain access in %s", usage.highestPercent(),
                    usage.regainAccessIn());
        }
        return new FetchedPage(page, nearLimit ? usage.regainAccessIn() : Duration.ZERO);
    }

    private MetaRateLimitException withDefaultWait(MetaRateLimitException e) {
        if (e.retryAfter() != null) {
            return e;
        }
        return new MetaRateLimitException(e.httpStatus(), e.graphCode(), e.graphSubcode(), e.getMessage(),
                config.rateLimit().defaultBackoff());
    }

    private static Throwable describe(Throwable failure) {
        if (failure instanceof MetaApiException) {
            return failure;
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof JsonProcessingException) {
                return new MetaApiException(MetaApiException.Kind.MALFORMED, 200, null, null,
                        "Meta answered with a malformed body", failure);
            }
            if (t instanceof java.util.concurrent.TimeoutException || t.getClass().getSimpleName().contains("Timeout")) {
                return new MetaTransientException(0, null, null, "Meta did not answer in time", failure);
            }
        }
        return new MetaTransientException(0, null, null,
                "Meta could not be reached: " + failure.getClass().getSimpleName(), failure);
    }

    /** A page and how long to wait before asking for the next one. */
    record FetchedPage(MetaTemplatePage page, Duration pauseBeforeNext) {
    }
}
