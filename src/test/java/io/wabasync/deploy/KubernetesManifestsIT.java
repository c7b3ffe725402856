package io.wabasync.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The manifests generated into target/kubernetes/ by the build, as a Kubernetes operator gets them. */
class KubernetesManifestsIT {

    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(TOKEN|SECRET|PASSWORD|ENCRYPTION_KEY).*");
    private static final Set<String> SECRET_ENV = Set.of("WABASYNC_ADMIN_TOKEN", "WABASYNC_ENCRYPTION_KEY",
            "WABASYNC_WEBHOOK_APP_SECRET", "WABASYNC_WEBHOOK_VERIFY_TOKEN", "QUARKUS_DATASOURCE_PASSWORD");

    private final JsonNode items;

    KubernetesManifestsIT() throws IOException {
        items = new ObjectMapper().readTree(Path.of("target", "kubernetes", "kubernetes.json").toFile());
    }

    @Test
    void deploymentRunsThreeReplicasWithProbesResourcesAndGracefulTermination() {
        JsonNode deployment = only("Deployment");
        assertThat(deployment.at("/spec/replicas").asInt()).isEqualTo(3);
        JsonNode pod = deployment.at("/spec/template/spec");
        assertThat(pod.path("terminationGracePeriodSeconds").asInt()).isGreaterThanOrEqualTo(30);
        JsonNode container = pod.at("/containers/0");
        assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/q/health/live");
        assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/q/health/ready");
        assertThat(container.at("/livenessProbe/httpGet/port").asInt()).isEqualTo(8080);
        assertThat(container.at("/ports/0/containerPort").asInt()).isEqualTo(8080);
        for (String kind : new String[] { "requests", "limits" }) {
            assertThat(container.at("/resources/" + kind + "/cpu").asText()).isNotBlank();
            assertThat(container.at("/resources/" + kind + "/memory").asText()).isNotBlank();
        }
        String image = container.path("image").asText();
        assertThat(image).startsWith("wabasync/wabasync:");
        assertThat(image.substring(0, image.indexOf('/'))).as("no registry host in the image").doesNotContain(".");
        assertThat(only("Service").at("/spec/ports/0/targetPort").asInt()).isEqualTo(8080);
    }

    @Test
    void secretsAreReferencedAndNeverWrittenOut() {
        JsonNode container = only("Deployment").at("/spec/template/spec/containers/0");
        List<String> fromSecret = new ArrayList<>();
        for (JsonNode env : container.path("env")) {
            String name = env.path("name").asText();
            if (SECRET_NAME.matcher(name).matches()) {
                assertThat(env.has("value")).as("%s must not be a literal value", name).isFalse();
            }
            if (env.at("/valueFrom/secretKeyRef/name").asText().equals("wabasync-secrets")) {
                fromSecret.add(name);
            }
        }
        assertThat(fromSecret).containsExactlyInAnyOrderElementsOf(SECRET_ENV);
        assertThat(container.at("/envFrom/0/configMapRef/name").asText()).isEqualTo("wabasync-config");

        JsonNode secret = only("Secret");
        Map<String, String> values = new java.util.HashMap<>();
        secret.path("stringData").fields().forEachRemaining(e -> values.put(e.getKey(), e.getValue().asText()));
        secret.path("data").fields().forEachRemaining(e -> values.put(e.getKey(), e.getValue().asText()));
        assertThat(values.keySet()).contains("admin-token", "encryption-key", "webhook-app-secret", "datasource-password");
        assertThat(values.values()).as("no secret value is shipped").allMatch(String::isEmpty);

        only("ConfigMap").path("data").fieldNames().forEachRemaining(key ->
                assertThat(SECRET_NAME.matcher(key).matches()).as("%s belongs in the Secret", key).isFalse());
    }

    private JsonNode only(String kind) {
        List<JsonNode> found = new ArrayList<>();
        items.forEach(item -> {
            if (kind.equals(item.path("kind").asText())) {
                found.add(item);
            }
        });
        assertThat(found).as("one %s", kind).hasSize(1);
        return found.get(0);
    }
}
