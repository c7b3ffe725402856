package io.wabasync.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What the sources-only native build (made beside the tests in {@code mvn verify}) hands native-image:
 * the classes registered for reflection, the resource patterns included in the image, and the
 * command line (features, system properties).
 */
record NativeBuildOutput(Set<String> reflectedClasses, List<Pattern> includedResources, List<String> arguments) {

    static NativeBuildOutput read() throws IOException {
        Path sources = Path.of(System.getProperty("native.sources.dir", "target/native-build/native-sources"));
        Path runner;
        try (Stream<Path> files = Files.list(sources)) {
            runner = files.filter(p -> p.getFileName().toString().endsWith("-runner.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no runner jar in " + sources));
        }
        Set<String> classes = new TreeSet<>();
        List<Pattern> resources = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        try (ZipFile jar = new ZipFile(runner.toFile())) {
            for (ZipEntry entry : jar.stream().toList()) {
                String name = entry.getName();
                if (!name.startsWith("META-INF/native-image/")) {
                    continue;
                }
                if (name.endsWith("reflect-config.json")) {
                    try (InputStream in = jar.getInputStream(entry)) {
                        json.readTree(in).forEach(type -> classes.add(type.path("name").asText()));
                    }
                } else if (name.endsWith("resource-config.json")) {
                    try (InputStream in = jar.getInputStream(entry)) {
                        json.readTree(in).path("resources").path("includes")
                                .forEach(include -> resources.add(Pattern.compile(include.path("pattern").asText())));
                    }
                } else if (name.endsWith("reachability-metadata.json")) {
                    try (InputStream in = jar.getInputStream(entry)) {
                        JsonNode metadata = json.readTree(in);
                        metadata.path("reflection").forEach(type -> classes.add(type.path("type").asText()));
                        metadata.path("resources").forEach(r -> resources.add(globPattern(r.path("glob").asText())));
                    }
                }
            }
        }
        List<String> arguments = List.of(Files.readString(sources.resolve("native-image.args")).split("\\s+"));
        return new NativeBuildOutput(classes, resources, arguments);
    }

    boolean includesResource(String name) {
        String path = name.startsWith("/") ? name.substring(1) : name;
        return includedResources.stream().anyMatch(p -> p.matcher(path).matches());
    }

    /** The classes a GraalVM feature named on the command line registers itself (not in the JSON files). */
    boolean hasFeature(String className) {
        return arguments.stream().filter(a -> a.startsWith("--features="))
                .anyMatch(a -> List.of(a.substring("--features=".length()).split(",")).contains(className));
    }

    boolean hasSystemProperty(String property) {
        return arguments.contains("-J-D" + property);
    }

    private static Pattern globPattern(String glob) {
        StringBuilder regex = new StringBuilder();
        for (String part : glob.split("(?=\\*)|(?<=\\*)")) {
            regex.append(part.equals("*") ? "[^/]*" : Pattern.quote(part));
        }
        return Pattern.compile(regex.toString().replace("[^/]*[^/]*", ".*"));
    }
}
