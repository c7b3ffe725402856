package io.wabasync.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * No Docker engine here, so each Dockerfile is checked against what {@code mvn package} produced:
 * every file it copies exists and is not cut out by .dockerignore, it runs as a non-root user,
 * exposes the port the service listens on, and starts what it copied.
 */
class DockerfilesIT {

    private static final Path ROOT = Path.of("").toAbsolutePath();

    @ParameterizedTest
    @ValueSource(strings = { "Dockerfile.jvm", "Dockerfile.native", "Dockerfile.native-micro" })
    void dockerfileMatchesTheBuildOutput(String name) throws IOException {
        List<String[]> instructions = parse(ROOT.resolve("src/main/docker").resolve(name));
        List<String> ignore = Files.readAllLines(ROOT.resolve(".dockerignore")).stream()
                .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();

        List<String> copiedTargets = new ArrayList<>();
        for (String[] ins : instructions) {
            if (!ins[0].equals("COPY") || ins[1].contains("--from=")) {
                continue;
            }
            String[] args = stripFlags(ins[1]);
            String destination = args[args.length - 1];
            for (int i = 0; i < args.length - 1; i++) {
                String source = args[i];
                List<Path> matches = expand(source);
                assertThat(matches).as("%s copies %s, which the build must produce", name, source).isNotEmpty();
                for (Path match : matches) {
                    assertThat(includedByDockerignore(ROOT.relativize(match).toString(), ignore))
                            .as("%s: .dockerignore must let %s into the build context", name, match).isTrue();
                    copiedTargets.add(destination.endsWith("/") ? destination + match.getFileName() : destination);
                }
            }
        }
        assertThat(copiedTargets).as("%s copies something", name).isNotEmpty();

        String user = last(instructions, "USER");
        assertThat(user).as("%s sets a user", name).isNotNull();
        assertThat(user.split(":")[0]).as("%s must not run as root", name).isNotIn("root", "0").matches("\\d+");
        assertThat(last(instructions, "EXPOSE")).as("%s exposes the service's port", name).isEqualTo("8080");

        String entrypoint = last(instructions, "ENTRYPOINT");
        assertThat(entrypoint).isNotNull();
        String workdir = last(instructions, "WORKDIR");
        boolean startsACopiedFile = copiedTargets.stream().anyMatch(t -> entrypoint.contains(t)
                || workdir != null && t.startsWith(workdir) && entrypoint.contains("./" + t.substring(workdir.length())));
        assertThat(startsACopiedFile).as("%s starts what it copied: %s (copied: %s)", name, entrypoint, copiedTargets)
                .isTrue();
    }

    /** Sources as the Docker build sees them; the native binary is expected at its configured path. */
    private static List<Path> expand(String source) throws IOException {
        if (source.endsWith("-runner")) {
            // No GraalVM here: check the name the native build will produce instead of the file.
            Path runner = Path.of(System.getProperty("native.image.path", "target/wabasync-1.0.0-SNAPSHOT-runner"));
            PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + ROOT.resolve(source));
            assertThat(m.matches(runner.toAbsolutePath())).as("%s matches the native binary %s", source, runner).isTrue();
            return List.of(runner.toAbsolutePath());
        }
        Path base = ROOT.resolve(source.contains("*") ? source.substring(0, source.lastIndexOf('/')) : source);
        if (!source.contains("*")) {
            return Files.exists(base) ? List.of(base) : List.of();
        }
        PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + ROOT.resolve(source));
        try (Stream<Path> files = Files.list(base)) {
            return files.filter(m::matches).toList();
        }
    }

    /** .dockerignore semantics: the last pattern matching a path (or a parent of it) decides. */
    private static boolean includedByDockerignore(String path, List<String> patterns) {
        boolean included = true;
        for (String raw : patterns) {
            boolean exception = raw.startsWith("!");
            String pattern = exception ? raw.substring(1) : raw;
            PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
            Path p = Path.of(path);
            for (Path prefix = p; prefix != null; prefix = prefix.getParent()) {
                if (m.matches(prefix)) {
                    included = exception;
                    break;
                }
            }
        }
        return included;
    }

    private static String[] stripFlags(String args) {
        return Stream.of(args.trim().split("\\s+")).filter(a -> !a.startsWith("--")).toArray(String[]::new);
    }

    private static String last(List<String[]> instructions, String keyword) {
        String value = null;
        for (String[] ins : instructions) {
            if (ins[0].equals(keyword)) {
                value = ins[1].trim();
            }
        }
        return value;
    }

    private static List<String[]> parse(Path dockerfile) throws IOException {
        List<String[]> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : Files.readAllLines(dockerfile)) {
            String trimmed = line.strip();
            if (trimmed.startsWith("#") || trimmed.isEmpty() && current.length() == 0) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                current.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            current.append(trimmed);
            String text = current.toString().strip();
            current.setLength(0);
            if (!text.isEmpty()) {
                int space = text.indexOf(' ');
                instructions.add(new String[] { text.substring(0, space).toUpperCase(), text.substring(space + 1) });
            }
        }
        return instructions;
    }
}
