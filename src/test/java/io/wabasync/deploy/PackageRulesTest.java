package io.wabasync.deploy;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The packages of the service and which way they may depend on each other. A package that needs
 * something of a package above it gets it moved down (as the jobs went to {@code job}, below both
 * sync and template management), not imported up: no two packages depend on each other, through any
 * chain. A new package has to be placed in {@link #ALLOWED_DIRECTIONS} before the build passes.
 */
class PackageRulesTest {

    /** Every top-level package of the service, as a slice; none reaches back to itself. */
    static final ArchRule NO_PACKAGE_CYCLES = slices().matching("io.wabasync.(*)..").should().beFreeOfCycles();

    /**
     * Who may depend on whom, as the code does today: a new direction is a change to this rule, made on
     * purpose. From the bottom: {@code common} depends on no other package; the single node's
     * {@code embedded} database (started by {@code io.wabasync.Main} before the service), {@code meta},
     * {@code workspace} and {@code job} only on {@code common}; {@code channel} on Meta and workspaces;
     * template management on channels and jobs; the sync engine on template management; Meta's
     * webhooks (which start syncs), the customer's outbound webhooks and the console (pages over templates,
     * numbers and syncs) at the top, used by no one.
     */
    static final ArchRule ALLOWED_DIRECTIONS = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .ensureAllClassesAreContainedInArchitecture()
            .layer("main").definedBy("io.wabasync")
            .layer("common").definedBy("io.wabasync.common..")
            .layer("embedded").definedBy("io.wabasync.embedded..")
            .layer("meta").definedBy("io.wabasync.meta..")
            .layer("workspace").definedBy("io.wabasync.workspace..")
            .layer("job").definedBy("io.wabasync.job..")
            .layer("channel").definedBy("io.wabasync.channel..")
            .layer("template").definedBy("io.wabasync.template..")
            .layer("sync").definedBy("io.wabasync.sync..")
            .layer("webhook").definedBy("io.wabasync.webhook..")
            .layer("outbound").definedBy("io.wabasync.outbound..")
            .layer("console").definedBy("io.wabasync.console..")

            .whereLayer("main").mayOnlyAccessLayers("embedded", "common")
            .whereLayer("common").mayNotAccessAnyLayer()
            .whereLayer("embedded").mayOnlyAccessLayers("common")
            .whereLayer("meta").mayOnlyAccessLayers("common")
            .whereLayer("workspace").mayOnlyAccessLayers("common")
            .whereLayer("job").mayOnlyAccessLayers("common")
            .whereLayer("channel").mayOnlyAccessLayers("common", "meta", "workspace")
            .whereLayer("template").mayOnlyAccessLayers("common", "meta", "workspace", "channel", "job")
            .whereLayer("sync").mayOnlyAccessLayers("common", "meta", "workspace", "channel", "job", "template")
            .whereLayer("webhook").mayOnlyAccessLayers("common", "job", "template", "sync")
            .whereLayer("outbound").mayOnlyAccessLayers("common", "workspace", "channel", "template")
            .whereLayer("console").mayOnlyAccessLayers("common", "workspace", "channel", "template", "sync");

    /**
     * The rooms of template: the model and the read path at the bottom ({@code template} itself); the
     * one writer of template state ({@code store}) on it; template management at Meta on the writer;
     * each hosted API's wire format ({@code twochat}, {@code lancepilot}: resources, views,
     * conversions) on what it serves; the change log and the live stream, which carry templates in
     * LancePilot's shape, on top.
     */
    static final ArchRule TEMPLATE_ROOMS = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("model").definedBy("io.wabasync.template")
            .layer("store").definedBy("io.wabasync.template.store..")
            .layer("management").definedBy("io.wabasync.template.management..")
            .layer("twochat").definedBy("io.wabasync.template.twochat..")
            .layer("lancepilot").definedBy("io.wabasync.template.lancepilot..")
            .layer("changelog").definedBy("io.wabasync.template.changelog..")

            .whereLayer("model").mayOnlyBeAccessedByLayers("store", "management", "twochat", "lancepilot", "changelog")
            .whereLayer("store").mayOnlyBeAccessedByLayers("management")
            .whereLayer("management").mayOnlyBeAccessedByLayers("lancepilot")
            .whereLayer("twochat").mayNotBeAccessedByAnyLayer()
            .whereLayer("lancepilot").mayOnlyBeAccessedByLayers("changelog")
            .whereLayer("changelog").mayNotBeAccessedByAnyLayer();

    private static JavaClasses service;

    @BeforeAll
    static void importTheService() {
        service = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.wabasync");
        assertThat(service.size()).as("classes of the service found").isGreaterThan(50);
    }

    @Test
    void noTwoPackagesDependOnEachOther() {
        NO_PACKAGE_CYCLES.check(service);
    }

    @Test
    void packagesDependOnlyInTheAllowedDirections() {
        ALLOWED_DIRECTIONS.check(service);
    }

    @Test
    void theRoomsOfTemplateDependOnlyDownwards() {
        TEMPLATE_ROOMS.check(service);
    }
}
