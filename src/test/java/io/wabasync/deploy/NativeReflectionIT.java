package io.wabasync.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;

/**
 * Guard for the native build. A class that the configuration names only by string is loaded with
 * {@code Class.forName} at run time, which a native binary can do only for classes registered for
 * reflection; the first real native build exited at start on
 * {@code ClassNotFoundException: PropertyNamingStrategies$SnakeCaseStrategy}, named by
 * {@code quarkus.jackson.property-naming-strategy=SNAKE_CASE}. The sources-only native build (made
 * beside this one in {@code mvn verify}) writes the reflection registrations native-image would get;
 * every class named in {@code application.properties}, directly or through such a word, must be
 * among them.
 */
class NativeReflectionIT {

    private static final Pattern CLASS_NAME = Pattern.compile("[a-z][a-z0-9_]*(\\.[a-z0-9_]+)+\\.[A-Z][\\w$]*");
    private static final Path PROPERTIES = Path.of("src", "main", "resources", "application.properties");

    /**
     * Settings whose value is a word that Quarkus turns into a class name: each maps the word to the
     * class loaded for it.
     */
    private static final Map<String, java.util.function.Function<String, String>> WORDS_FOR_CLASSES = Map.of(
            "quarkus.jackson.property-naming-strategy", NativeReflectionIT::jacksonNamingStrategyClass);

    @Test
    void everyClassTheConfigurationNamesIsRegisteredForReflection() throws IOException {
        Set<String> registered = NativeBuildOutput.read().reflectedClasses();
        assertThat(registered).as("reflection registrations of the native build").hasSizeGreaterThan(100)
                .contains("io.wabasync.template.twochat.TwoChatTemplatePage");

        Map<String, String> named = classesNamedByConfiguration(PROPERTIES);
        assertThat(named).as("classes named in %s", PROPERTIES).isNotEmpty();
        List<String> missing = new ArrayList<>();
        named.forEach((className, setting) -> {
            if (!registered.contains(className)) {
                missing.add(className + " (named by " + setting + ")");
            }
        });
        assertThat(missing).as("classes loaded by name at run time but not registered for reflection: a native binary "
                + "fails at start with ClassNotFoundException").isEmpty();
    }

    /** The check itself fails on the setting that broke the first native binary. */
    @Test
    void theCheckSeesTheNamingStrategyWordAsAClass() throws IOException {
        Path properties = Files.createTempFile("named", ".properties");
        Files.writeString(properties, "quarkus.jackson.property-naming-strategy=SNAKE_CASE\n"
                + "%prod.mp.openapi.filter=io.wabasync.common.OpenApiErrors\nquarkus.http.host=0.0.0.0\n");
        assertThat(classesNamedByConfiguration(properties)).containsOnlyKeys(
                "com.fasterxml.jackson.databind.PropertyNamingStrategies$SnakeCaseStrategy",
                "io.wabasync.common.OpenApiErrors");
    }

    /** Class name → the setting that names it, for every profile's value. */
    static Map<String, String> classesNamedByConfiguration(Path file) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        }
        Map<String, String> named = new TreeMap<>();
        for (String key : properties.stringPropertyNames()) {
            String value = properties.getProperty(key).trim();
            String setting = key.replaceFirst("^%[^.]+\\.", "");
            if (WORDS_FOR_CLASSES.containsKey(setting)) {
                named.put(WORDS_FOR_CLASSES.get(setting).apply(value), key);
                continue;
            }
            for (String token : value.split("[,\\s]+")) {
                if (CLASS_NAME.matcher(token).matches() && isClass(token)) {
                    named.put(token, key);
                }
            }
        }
        return named;
    }

    private static boolean isClass(String name) {
        try {
            Class.forName(name, false, NativeReflectionIT.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** What Quarkus loads for SNAKE_CASE and its kin: the class of Jackson's constant of that name. */
    private static String jacksonNamingStrategyClass(String value) {
        try {
            Field constant = PropertyNamingStrategies.class.getField(value);
            if (Modifier.isStatic(constant.getModifiers())) {
                return constant.get(null).getClass().getName();
            }
        } catch (NoSuchFieldException | IllegalAccessException e) {
            // not one of Jackson's words: a class name
        }
        return value;
    }
}
