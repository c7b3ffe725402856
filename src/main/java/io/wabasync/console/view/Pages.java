package io.wabasync.console.view;

import java.util.List;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** The console's pages (src/main/resources/templates/console), checked against their data when the service is built. */
@CheckedTemplate(basePath = "console")
public final class Pages {

    private Pages() {
    }

    public static native TemplateInstance signIn(Nav nav, String error);

    public static native TemplateInstance templates(Nav nav, TemplatesPage page);

    public static native TemplateInstance template(Nav nav, TemplatePage page);

    public static native TemplateInstance form(Nav nav, FormPage page);

    public static native TemplateInstance delete(Nav nav, TemplatePage page);

    public static native TemplateInstance numbers(Nav nav, List<NumberRow> numbers, String notice);

    public static native TemplateInstance message(Nav nav, String title, String text);
}
