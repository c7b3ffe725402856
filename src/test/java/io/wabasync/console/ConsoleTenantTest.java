package io.wabasync.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.wabasync.testing.ConsoleSession;
import io.wabasync.testing.FakeMeta;
import io.wabasync.testing.FakeMetaResource;
import io.wabasync.testing.Fixtures;
import io.wabasync.testing.Fixtures.Connected;
import io.wabasync.testing.InjectFakeMeta;

/**
 * The tenant matrix, extended to the console: workspace B's session asks for every console page and
 * form of workspace A's template and number. Each answers as for an id that does not exist (404),
 * A's data appears nowhere in B's pages, and nothing changes, at Meta or here.
 */
@QuarkusTest
@WithTestResource(FakeMetaResource.class)
class ConsoleTenantTest {

    @InjectFakeMeta
    FakeMeta meta;

    @Inject
    Pool pool;

    @Test
    void anotherWorkspacesSessionSeesAndChangesNothingOfItsTemplatesOrNumbers() {
        Connected owner = Fixtures.syncedChannel(meta,
                List.of(FakeMeta.template("9101", "owners_secret", "en_US", "REJECTED", "UTILITY")));
        Connected other = Fixtures.syncedChannel(meta,
                List.of(FakeMeta.template("9201", "others_own", "en_US", "APPROVED", "UTILITY")));
        ConsoleSession ownerSession = ConsoleSession.signIn(owner.workspace().apiKey());
        ConsoleSession intruder = ConsoleSession.signIn(other.workspace().apiKey());
        String ownersTemplate = ConsoleTest.templateIdOf(ownerSession, "owners_secret");
        String before = state(owner);

        for (String path : List.of("/console/templates/" + ownersTemplate, "/console/templates/" + ownersTemplate + "/edit",
                "/console/templates/" + ownersTemplate + "/delete")) {
            intruder.request().get(path).then().statusCode(404).body(not(containsString("owners_secret")));
        }
        for (String path : List.of("/console/templates/" + ownersTemplate + "/edit",
                "/console/templates/" + ownersTemplate + "/delete", "/console/numbers/" + owner.channelId() + "/sync")) {
            intruder.request().formParam("csrf", intruder.csrf()).formParam("name", "owners_secret")
                    .formParam("language", "en_US").formParam("category", "MARKETING").formParam("body.text", "Taken")
                    .post(path).then().statusCode(404);
        }
        // B's own session token does not pass for A's session, nor A's for B's forms.
        intruder.request().formParam("csrf", ownerSession.csrf()).formParam("phone_number", owner.phoneNumber())
                .post("/console/templates").then().statusCode(403);
        // A's number is not one of B's: a create for it is refused by the API's own check, as the API refuses it.
        String refused = intruder.request().formParam("csrf", intruder.csrf()).formParam("phone_number", owner.phoneNumber())
                .formParam("name", "planted").formParam("language", "en_US").formParam("category", "UTILITY")
                .formParam("body.text", "Hello").post("/console/templates").then().statusCode(400).extract().asString();
        assertThat(refused).contains("id=\"form-problem\"");

        assertThat(intruder.request().get("/console/templates").then().statusCode(200).extract().asString())
                .contains("others_own").doesNotContain("owners_secret", owner.phoneNumber());
        assertThat(intruder.request().get("/console/templates?number=" + owner.phoneNumber().replace("+", "%2B"))
                .then().extract().asString()).doesNotContain("owners_secret");
        assertThat(intruder.request().get("/console/numbers").then().statusCode(200).extract().asString())
                .doesNotContain(owner.phoneNumber(), owner.channelId());
        assertThat(intruder.request().get("/console/numbers/progress").then().statusCode(200).extract().asString())
                .doesNotContain(owner.phoneNumber(), owner.channelId());

        assertThat(meta.waba(owner.wabaId()).createRequests()).isZero();
        assertThat(meta.waba(owner.wabaId()).editRequests()).isZero();
        assertThat(meta.waba(owner.wabaId()).deleteRequests()).isZero();
        assertThat(state(owner)).isEqualTo(before);
    }

    /** The owner's templates and jobs, as rows: anything B changed would show. */
    private String state(Connected owner) {
        UUID workspaceId = UUID.fromString(owner.workspace().id());
        var templates = pool.preparedQuery("SELECT string_agg(name || status || category || coalesce(removed_at::text, ''), ',' "
                + "ORDER BY name) FROM template WHERE workspace_id = $1").execute(Tuple.of(workspaceId))
                .await().indefinitely().iterator().next().getString(0);
        var jobs = pool.preparedQuery("SELECT count(*) FROM sync_job WHERE workspace_id = $1").execute(Tuple.of(workspaceId))
                .await().indefinitely().iterator().next().getLong(0);
        return templates + " / " + jobs + " jobs";
    }
}
