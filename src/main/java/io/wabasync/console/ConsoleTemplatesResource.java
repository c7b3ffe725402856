package io.wabasync.console;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.vertx.http.runtime.security.annotation.HttpAuthenticationMechanism;
import io.smallrye.mutiny.Uni;
import io.wabasync.channel.ChannelService;
import io.wabasync.channel.PhoneNumbers;
import io.wabasync.common.ApiException;
import io.wabasync.common.QueryParams;
import io.wabasync.common.ValidationFailure;
import io.wabasync.console.session.ConsoleCaller;
import io.wabasync.console.session.ConsoleSessionIdentityProvider;
import io.wabasync.console.session.ConsoleSessionMechanism;
import io.wabasync.console.view.Advice;
import io.wabasync.console.view.FormPage;
import io.wabasync.console.view.Nav;
import io.wabasync.console.view.Pages;
import io.wabasync.console.view.Preview;
import io.wabasync.console.view.TemplateForm;
import io.wabasync.console.view.TemplatePage;
import io.wabasync.console.view.TemplatesPage;
import io.wabasync.template.Template;
import io.wabasync.template.TemplateDetail;
import io.wabasync.template.TemplateFilter;
import io.wabasync.template.TemplateService;
import io.wabasync.template.lancepilot.LancePilotComponents;
import io.wabasync.template.lancepilot.LancePilotTemplates;
import io.wabasync.template.management.TemplateDeletes;

/**
 * The console's template pages: the list, one template, the create and edit forms and the delete
 * confirmation. Reads through the read path, writes through LancePilot's create and update (same
 * rules, same single writer) and the delete job, exactly as the API does.
 */
@Path("/console/templates")
@Produces(MediaType.TEXT_HTML)
@HttpAuthenticationMechanism(ConsoleSessionMechanism.SCHEME)
@RolesAllowed(ConsoleSessionIdentityProvider.CONSOLE)
public class ConsoleTemplatesResource {

    private static final int PER_PAGE = 50;

    private static final Map<String, String> NOTICES = Map.of(
            "created", "Template sent to Meta for review: it is PENDING until Meta decides.",
            "edited", "Edit sent to Meta: the template is UPDATING until Meta decides.",
            "deleted", "Delete sent to Meta: the template leaves the list once Meta confirms.");

    private final TemplateService templates;
    private final LancePilotTemplates lancePilot;
    private final TemplateDeletes deletes;
    private final ChannelService channels;
    private final ConsoleCaller caller;

    public ConsoleTemplatesResource(TemplateService templates, LancePilotTemplates lancePilot, TemplateDeletes deletes,
            ChannelService channels, ConsoleCaller caller) {
        this.templates = templates;
        this.lancePilot = lancePilot;
        this.deletes = deletes;
        this.channels = channels;
        this.caller = caller;
    }

    @GET
    public Uni<Response> list(@QueryParam("number") String number, @QueryParam("status") String status,
            @QueryParam("category") String category, @QueryParam("language") String language,
            @QueryParam("name") String name, @QueryParam("page") String page, @QueryParam("notice") String notice) {
        UUID workspaceId = caller.workspaceId();
        TemplateFilter filter = new TemplateFilter(QueryParams.text(status, "status", 40),
                number == null || number.isBlank() ? null : PhoneNumbers.fromQuery(number),
                QueryParams.text(name, "name", 512), QueryParams.text(language, "language", 20),
                QueryParams.text(category, "category", 40));
        int pageNumber = QueryParams.onePage(page);
        return numbers(workspaceId).chain(numbers -> templates.page(workspaceId, filter, pageNumber, PER_PAGE)
                .map(paged -> Responses.page(200, Pages.templates(nav("templates"), new TemplatesPage(paged.data(),
                        filter, numbers, paged.meta().total(), pageNumber, paged.meta().lastPage(),
                        (notice == null ? null : NOTICES.get(notice)))))));
    }

    @GET
    @Path("{id}")
    public Uni<Response> one(@PathParam("id") String id, @QueryParam("notice") String notice) {
        return detail(id).map(detail -> detail == null ? Responses.notFound(nav("templates"), "This template")
                : Responses.page(200, Pages.template(nav("templates"), page(detail, (notice == null ? null : NOTICES.get(notice))))));
    }

    @GET
    @Path("new")
    public Uni<Response> newForm() {
        return numbers(caller.workspaceId()).map(numbers -> Responses.page(200,
                Pages.form(nav("templates"), new FormPage(TemplateForm.empty(), numbers, null, null))));
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> create(MultivaluedMap<String, String> fields) {
        caller.checkForm(fields.getFirst("csrf"));
        UUID workspaceId = caller.workspaceId();
        TemplateForm form = TemplateForm.of(values(fields));
        return lancePilot.createFrom(workspaceId, form.body())
                .map(stored -> Responses.seeOther("/console/templates/" + stored.id() + "?notice=created"))
                .onFailure(ApiException.class).recoverWithUni(e -> numbers(workspaceId).map(numbers ->
                        refused(form, (ApiException) e, new FormPage(form, numbers, null, null))));
    }

    @GET
    @Path("{id}/edit")
    public Uni<Response> editForm(@PathParam("id") String id) {
        return template(id).map(detail -> {
            if (detail == null) {
                return Responses.notFound(nav("templates"), "This template");
            }
            TemplateForm form = formOf(detail.template());
            if (form == null) {
                return Responses.page(409, Pages.message(nav("templates"), "Not editable here",
                        "This template has parts the console's form cannot show (a media or location header, or "
                                + "components of other kinds): edit it through the API, so that nothing is lost."));
            }
            return Responses.page(200, Pages.form(nav("templates"),
                    new FormPage(form, List.of(), detail.template().id.toString(), detail.template().name)));
        });
    }

    @POST
    @Path("{id}/edit")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> edit(@PathParam("id") String id, MultivaluedMap<String, String> fields) {
        caller.checkForm(fields.getFirst("csrf"));
        UUID workspaceId = caller.workspaceId();
        return template(id).chain(detail -> {
            if (detail == null) {
                return Uni.createFrom().item(Responses.notFound(nav("templates"), "This template"));
            }
            Template template = detail.template();
            Map<String, String> values = values(fields);
            // Name and language are what identify a template at Meta: an edit keeps them, whatever was posted.
            values.put("name", template.name);
            values.put("language", template.language);
            TemplateForm form = TemplateForm.of(values);
            FormPage page = new FormPage(form, List.of(), template.id.toString(), template.name);
            return lancePilot.editFrom(workspaceId, template.number.toString(), form.body())
                    .map(stored -> Responses.seeOther("/console/templates/" + template.id + "?notice=edited"))
                    .onFailure(ApiException.class).recoverWithItem(e -> refused(form, (ApiException) e, page));
        });
    }

    @GET
    @Path("{id}/delete")
    public Uni<Response> deleteForm(@PathParam("id") String id) {
        return template(id).map(detail -> detail == null ? Responses.notFound(nav("templates"), "This template")
                : Responses.page(200, Pages.delete(nav("templates"), page(detail, null))));
    }

    @POST
    @Path("{id}/delete")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> delete(@PathParam("id") String id, MultivaluedMap<String, String> fields) {
        caller.checkForm(fields.getFirst("csrf"));
        UUID workspaceId = caller.workspaceId();
        return template(id).chain(detail -> detail == null
                ? Uni.createFrom().item(Responses.notFound(nav("templates"), "This template"))
                : deletes.delete(workspaceId, detail.template().number.toString())
                        .replaceWith(Responses.seeOther("/console/templates?notice=deleted"))
                        .onFailure(ApiException.class).recoverWithItem(e -> Responses.page(
                                ((ApiException) e).status(), Pages.message(nav("templates"), "Not deleted",
                                        e.getMessage()))));
    }

    /** The template of this workspace with this id, with its history; null for any other id. */
    private Uni<TemplateDetail> detail(String id) {
        UUID templateId = uuid(id);
        return templateId == null ? Uni.createFrom().nullItem() : templates.withHistory(caller.workspaceId(), templateId);
    }

    /** The same without its history, for the forms, which do not show it. */
    private Uni<TemplateDetail> template(String id) {
        UUID templateId = uuid(id);
        return templateId == null ? Uni.createFrom().nullItem() : templates.find(caller.workspaceId(), templateId);
    }

    private static UUID uuid(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static TemplatePage page(TemplateDetail detail, String notice) {
        Template t = detail.template();
        return new TemplatePage(t, detail.phoneNumber(), Preview.of(t.components),
                Advice.of(t.status, t.rejectedReason, t.rejectionInfo, t.disableInfo, t.qualityScore),
                detail.statusHistory(), formOf(t) != null, t.components == null ? "" : t.components.toPrettyString(),
                notice);
    }

    private static TemplateForm formOf(Template template) {
        try {
            return TemplateForm.ofTemplate(template.name, template.language, template.category,
                    LancePilotComponents.fromMeta(template.components));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The form again, each broken rule beside its field, or Meta's refusal above it; nothing was sent or stored. */
    private Response refused(TemplateForm form, ApiException e, FormPage page) {
        TemplateForm shown = e instanceof ValidationFailure failure ? form.withErrors(failure.errors(), e.getMessage())
                : form.withErrors(Map.of(), e.getMessage());
        return Responses.page(e.status(), Pages.form(nav("templates"),
                new FormPage(shown, page.numbers(), page.templateId(), page.templateName())));
    }

    private Uni<List<String>> numbers(UUID workspaceId) {
        return channels.list(workspaceId).map(list -> list.stream().map(c -> c.phoneNumber).sorted().toList());
    }

    private static Map<String, String> values(MultivaluedMap<String, String> fields) {
        Map<String, String> values = new LinkedHashMap<>();
        fields.forEach((field, given) -> {
            if (!"csrf".equals(field) && field.length() <= 40 && !given.isEmpty()) {
                values.put(field, given.get(0));
            }
        });
        return values;
    }

    private Nav nav(String section) {
        return new Nav(caller.csrfToken(), section);
    }

    @ServerExceptionMapper({ AuthenticationFailedException.class, UnauthorizedException.class, ForbiddenException.class })
    Response signInFirst() {
        return Responses.signInFirst();
    }

    @ServerExceptionMapper
    Response refused(ConsoleCaller.FormRefused e) {
        return Responses.formRefused();
    }

    /** A request the API would answer with a JSON error (a filter that is not valid) gets a page saying so. */
    @ServerExceptionMapper
    Response failed(ApiException e) {
        return Responses.failed(nav("templates"), e);
    }
}
