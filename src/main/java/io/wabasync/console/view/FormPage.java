package io.wabasync.console.view;

import java.util.List;

/** The create or edit form: the form itself, the numbers a new template may go to, and the template edited. */
public record FormPage(TemplateForm form, List<String> numbers, String templateId, String templateName) {

    public boolean editing() {
        return templateId != null;
    }

    public List<String> categories() {
        return TemplateForm.CATEGORIES;
    }

    public List<String> buttonKinds() {
        return TemplateForm.BUTTON_KINDS;
    }
}
