package io.wabasync.deploy;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.Closeable;
import java.net.DatagramSocket;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.Temporal;
import java.util.Date;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.random.RandomGenerator;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.EvaluationResult;
import com.tngtech.archunit.lang.SimpleConditionEvent;

/**
 * Guard for the native build. Quarkus initialises application classes while building the native
 * image, so whatever a static field holds is baked into the binary: a {@code SecureRandom} (and its
 * seed, which native-image refuses: "Detected an instance of Random/SplittableRandom class in the
 * image heap"), a thread, a socket or stream opened on the build machine, a time read while
 * building. The sources-only native build that runs here does not analyse the heap, so this test
 * does it on the bytecode: no class of the service keeps such a thing in a static field, or makes
 * one in a static initializer.
 */
class NativeStaticStateTest {

    /** Types whose instances are tied to the process that made them. */
    private static final List<Class<?>> RUN_TIME_ONLY_TYPES = List.of(RandomGenerator.class, Random.class,
            SplittableRandom.class, Thread.class, Socket.class, ServerSocket.class, DatagramSocket.class,
            Closeable.class, Temporal.class, Date.class);

    /** Calls that read the clock, a random source or the process, or start a thread. */
    private static final DescribedPredicate<JavaAccess<?>> READS_RUN_TIME_STATE = new DescribedPredicate<>(
            "reads the clock, a random source or the process, or starts a thread") {
        @Override
        public boolean test(JavaAccess<?> access) {
            String owner = access.getTargetOwner().getName();
            String name = access.getName();
            return (owner.equals(System.class.getName()) && (name.equals("currentTimeMillis") || name.equals("nanoTime")))
                    || (owner.startsWith("java.time.") && name.equals("now"))
                    || (owner.equals(UUID.class.getName()) && name.equals("randomUUID"))
                    || (owner.equals(ProcessHandle.class.getName()) && name.equals("current"))
                    || (name.equals("<init>") && access.getTargetOwner().isAssignableTo(Random.class))
                    || (name.equals("<init>") && access.getTargetOwner().isAssignableTo(SplittableRandom.class))
                    || (name.equals("<init>") && access.getTargetOwner().isAssignableTo(Thread.class))
                    || (name.equals("start") && access.getTargetOwner().isAssignableTo(Thread.class));
        }
    };

    static final ArchRule NO_RUN_TIME_STATE_IN_STATIC_FIELDS = fields().that().areStatic()
            .should(new ArchCondition<JavaField>("not hold a random source, thread, socket, stream or time value") {
                @Override
                public void check(JavaField field, ConditionEvents events) {
                    for (Class<?> type : RUN_TIME_ONLY_TYPES) {
                        if (field.getRawType().isAssignableTo(type)) {
                            events.add(SimpleConditionEvent.violated(field, field.getFullName() + " is static and holds a "
                                    + field.getRawType().getName() + " (" + type.getSimpleName() + ")"));
                            return;
                        }
                    }
                }
            });

    static final ArchRule NO_RUN_TIME_STATE_IN_STATIC_INITIALIZERS = classes()
            .should(new ArchCondition<JavaClass>("not read the clock, a random source or the process, or start a thread, "
                    + "in a static initializer") {
                @Override
                public void check(JavaClass javaClass, ConditionEvents events) {
                    javaClass.getStaticInitializer().ifPresent(initializer -> initializer.getAccessesFromSelf().stream()
                            .filter(READS_RUN_TIME_STATE).forEach(access -> events.add(SimpleConditionEvent.violated(
                                    access, access.getDescription() + " in a static initializer"))));
                }
            });

    @Test
    void theServiceKeepsNoRunTimeStateInStaticFields() {
        JavaClasses service = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.wabasync");
        assertThat(service.size()).as("classes of the service found").isGreaterThan(50);
        NO_RUN_TIME_STATE_IN_STATIC_FIELDS.check(service);
        NO_RUN_TIME_STATE_IN_STATIC_INITIALIZERS.check(service);
    }

    /** The rules themselves fail on what the first native build refused (and its kin). */
    @Test
    void theRulesCatchWhatTheNativeBuildRefused() {
        JavaClasses bad = new ClassFileImporter().importClasses(KeysAsTheyWere.class, StartTime.class);
        EvaluationResult fields = NO_RUN_TIME_STATE_IN_STATIC_FIELDS.evaluate(bad);
        EvaluationResult initializers = NO_RUN_TIME_STATE_IN_STATIC_INITIALIZERS.evaluate(bad);
        assertThat(fields.getFailureReport().getDetails()).hasSize(2)
                .anySatisfy(line -> assertThat(line).contains("KeysAsTheyWere.RANDOM", "java.security.SecureRandom"))
                .anySatisfy(line -> assertThat(line).contains("StartTime.STARTED", "java.time.Instant"));
        assertThat(initializers.getFailureReport().getDetails()).hasSize(3)
                .anySatisfy(line -> assertThat(line).contains("SecureRandom.<init>"))
                .anySatisfy(line -> assertThat(line).contains("Instant.now"))
                .anySatisfy(line -> assertThat(line).contains("System.nanoTime"));
    }

    /** {@code ApiKeys} before the fix. */
    static final class KeysAsTheyWere {
        static final SecureRandom RANDOM = new SecureRandom();
    }

    static final class StartTime {
        static final Instant STARTED = Instant.now();
        static final long TICK = System.nanoTime();
    }
}
