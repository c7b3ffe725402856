package io.wabasync.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.MatrixParam;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

import io.wabasync.embedded.EmbeddedDatabaseBinaries;

/**
 * Guard for the native build against libraries that load classes or resources by name, which a
 * native binary has only when they are registered or included: the first native build that passed
 * every other check answered 500 on both template lists with {@code ClassNotFoundException:
 * com.github.benmanes.caffeine.cache.SSMW}. Each test asks the library itself what it loads, the way
 * the service uses it, and checks the sources-only native build registers or includes exactly that.
 * The inventory of these libraries is in docs/architecture.md.
 */
class NativeLibrariesIT {

    private static final String CAFFEINE_FEATURE = "io.quarkus.caffeine.runtime.graal.CacheConstructorsFeature";

    private static NativeBuildOutput build;
    private static JavaClasses service;

    @BeforeAll
    static void read() throws IOException {
        build = NativeBuildOutput.read();
        service = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.wabasync");
    }

    /**
     * Caffeine picks the class of a cache, and of its entries, by name from the configuration. Every
     * class of the service that builds a cache keeps its configuration in a static method returning the
     * builder, which this test builds to ask Caffeine what it chose.
     */
    @Test
    void everyCacheTheServiceBuildsUsesRegisteredImplementationClasses() throws Exception {
        List<String> checked = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (JavaClass builder : classesCalling(Caffeine.class)) {
            Class<?> owner = builder.reflect();
            List<Method> configurations = Stream.of(owner.getDeclaredMethods())
                    .filter(m -> Modifier.isStatic(m.getModifiers()) && m.getParameterCount() == 0
                            && m.getReturnType() == Caffeine.class)
                    .toList();
            assertThat(configurations).as("%s builds a cache: its configuration must be a static no-argument method "
                    + "returning Caffeine, so that this guard can build it", owner.getName()).isNotEmpty();
            for (Method configuration : configurations) {
                configuration.setAccessible(true);
                Caffeine<?, ?> caffeine = (Caffeine<?, ?>) configuration.invoke(null);
                String where = owner.getSimpleName() + "." + configuration.getName() + "()";
                missing.addAll(unregistered(caffeine, where));
                checked.add(where);
            }
        }
        assertThat(checked).as("cache configurations found").isNotEmpty();
        assertThat(missing).as("classes Caffeine loads by name for the service's caches, not registered for the native "
                + "build: register them beside the cache (@RegisterForReflection(classNames = ...))").isEmpty();
    }

    /** The check itself: a configuration nobody registers is reported, cache class and entry class. */
    @Test
    void theCacheCheckReportsAConfigurationThatIsNotRegistered() throws Exception {
        Caffeine<Object, Object> unusual = Caffeine.newBuilder().weakKeys().softValues()
                .expireAfterAccess(1, TimeUnit.MINUTES).maximumWeight(10).weigher((k, v) -> 1);
        assertThat(unregistered(unusual, "unusual")).hasSize(2)
                .allSatisfy(line -> assertThat(line).startsWith("unusual: com.github.benmanes.caffeine.cache."));
    }

    /**
     * libphonenumber reads one metadata resource per region the first time it parses one of its
     * numbers; every region a channel's number may come from must be in the image.
     */
    @Test
    void everyPhoneNumberMetadataResourceIsIncluded() {
        Set<String> loaded = new TreeSet<>();
        PhoneNumberUtil numbers = PhoneNumberUtil.createInstance(name -> {
            loaded.add(name);
            return PhoneNumberUtil.class.getResourceAsStream(name);
        });
        numbers.getSupportedRegions().forEach(numbers::getExampleNumber);
        numbers.getSupportedGlobalNetworkCallingCodes().forEach(numbers::getExampleNumberForNonGeoEntity);
        assertThat(loaded).as("metadata resources libphonenumber loaded").hasSizeGreaterThan(200);
        assertThat(loaded.stream().filter(name -> !build.includesResource(name)).toList())
                .as("libphonenumber resources not included in the native image").isEmpty();
    }

    /** Flyway finds the migrations by listing a resource folder at start. */
    @Test
    void everyMigrationIsIncluded() throws IOException {
        List<String> migrations;
        try (Stream<Path> files = Files.list(Path.of("src", "main", "resources", "db", "migration"))) {
            migrations = files.map(p -> "db/migration/" + p.getFileName()).sorted().toList();
        }
        assertThat(migrations).isNotEmpty();
        assertThat(migrations.stream().filter(m -> !build.includesResource(m)).toList())
                .as("migrations not included in the native image").isEmpty();
    }

    /** The single node unpacks PostgreSQL from a resource of the build, found by platform name. */
    @Test
    void theEmbeddedDatabaseBinariesOfLinuxAreIncluded() {
        List<String> linux = EmbeddedDatabaseBinaries.ARCHIVES.stream().filter(name -> name.contains("linux"))
                .filter(name -> getClass().getClassLoader().getResource(name) != null).toList();
        assertThat(linux).as("Linux archives in this (single-node) build").contains("postgres-linux-x86_64.txz");
        assertThat(linux.stream().filter(a -> !build.includesResource(a)).toList())
                .as("PostgreSQL archives not included in the native image").isEmpty();
        assertThat(build.includesResource("sh/detect_linux_distribution.sh"))
                .as("the library's script that tells Alpine from other Linux").isTrue();
    }

    /**
     * Jackson reads and writes the wire types by reflection: every type of the service that a resource
     * or the Meta client takes or answers, or that is read with ObjectMapper, and the types inside them.
     */
    @Test
    void everyTypeJacksonBindsIsRegistered() {
        Set<Class<?>> bound = new TreeSet<>((a, b) -> a.getName().compareTo(b.getName()));
        Deque<Type> pending = new ArrayDeque<>();
        for (JavaClass c : service) {
            Class<?> type = c.reflect();
            boolean resource = type.isAnnotationPresent(jakarta.ws.rs.Path.class)
                    || Stream.of(type.getDeclaredMethods()).anyMatch(m -> m.isAnnotationPresent(jakarta.ws.rs.Path.class));
            if (resource) {
                for (Method m : type.getDeclaredMethods()) {
                    if (!Modifier.isPublic(m.getModifiers()) && !type.isInterface()) {
                        continue;
                    }
                    pending.add(m.getGenericReturnType());
                    for (java.lang.reflect.Parameter p : m.getParameters()) {
                        if (Stream.of(PathParam.class, QueryParam.class, HeaderParam.class, CookieParam.class,
                                FormParam.class, MatrixParam.class, BeanParam.class).noneMatch(p::isAnnotationPresent)) {
                            pending.add(p.getParameterizedType());
                        }
                    }
                }
            }
        }
        // A type named where ObjectMapper reads: readValue(text, ChangeEvent.class) and the like.
        service.stream().flatMap(c -> c.getCodeUnits().stream())
                .filter(code -> code.getMethodCallsFromSelf().stream().anyMatch(call -> call.getTargetOwner()
                        .isEquivalentTo(ObjectMapper.class) && call.getName().matches("read.*|convert.*|treeToValue")))
                .forEach(code -> code.getReferencedClassObjects().forEach(ref -> pending.add(ref.getRawType().reflect())));
        while (!pending.isEmpty()) {
            Type next = pending.pop();
            if (next instanceof ParameterizedType p) {
                pending.push(p.getRawType());
                for (Type argument : p.getActualTypeArguments()) {
                    pending.push(argument);
                }
            } else if (next instanceof Class<?> c && c.getName().startsWith("io.wabasync.") && !c.isEnum()
                    && !c.isInterface() && bound.add(c)) {
                if (c.isRecord()) {
                    for (RecordComponent component : c.getRecordComponents()) {
                        pending.push(component.getGenericType());
                    }
                } else {
                    for (Field f : c.getDeclaredFields()) {
                        if (!Modifier.isStatic(f.getModifiers())) {
                            pending.push(f.getGenericType());
                        }
                    }
                }
            }
        }
        bound.removeIf(c -> c.isAnnotationPresent(jakarta.ws.rs.Path.class) || c.getSimpleName().endsWith("Resource")
                || c.getName().endsWith("Exception"));
        assertThat(bound).as("wire types found").hasSizeGreaterThan(20);
        assertThat(bound.stream().map(Class::getName).filter(n -> !build.reflectedClasses().contains(n)).toList())
                .as("types Jackson binds that the native build does not register (@RegisterForReflection)").isEmpty();
    }

    private static List<String> unregistered(Caffeine<?, ?> configuration, String where) throws Exception {
        Cache<?, ?> cache = configuration.build();
        Field local = cache.getClass().getDeclaredField("cache");
        local.setAccessible(true);
        Object implementation = local.get(cache);
        Class<?> nodeFactory = nodeFactoryOf(implementation);
        Set<String> registered = new TreeSet<>(build.reflectedClasses());
        registered.addAll(caffeineFeatureRegistrations());
        List<String> missing = new ArrayList<>();
        for (String name : List.of(implementation.getClass().getName(), nodeFactory.getName())) {
            if (!registered.contains(name)) {
                missing.add(where + ": " + name);
            }
        }
        return missing;
    }

    private static Class<?> nodeFactoryOf(Object implementation) throws Exception {
        for (Class<?> c = implementation.getClass(); c != null; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (f.getName().equals("nodeFactory")) {
                    f.setAccessible(true);
                    return f.get(implementation).getClass();
                }
            }
        }
        throw new IllegalStateException("Caffeine's cache has no nodeFactory: has its layout changed?");
    }

    /** What Quarkus's Caffeine extension registers from its GraalVM feature, when the build runs it. */
    private static Set<String> caffeineFeatureRegistrations() throws Exception {
        Set<String> names = new TreeSet<>();
        if (!build.hasFeature(CAFFEINE_FEATURE)) {
            return names;
        }
        Class<?> feature = Class.forName(CAFFEINE_FEATURE, false, NativeLibrariesIT.class.getClassLoader());
        names.addAll(List.of((String[]) feature.getMethod("typesNeedingConstructorsRegistered").invoke(null)));
        String statsProperty = (String) feature.getField("REGISTER_RECORD_STATS_IMPLEMENTATIONS").get(null);
        if (build.hasSystemProperty(statsProperty + "=true")) {
            names.addAll(List.of((String[]) feature.getMethod("typesNeedingConstructorsRegisteredWhenRecordingStats")
                    .invoke(null)));
        }
        return names;
    }

    private static List<JavaClass> classesCalling(Class<?> library) {
        return service.stream().filter(c -> c.getMethodCallsFromSelf().stream()
                .anyMatch(call -> call.getTargetOwner().isEquivalentTo(library))).toList();
    }
}
