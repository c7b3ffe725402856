package io.wabasync.common;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * This service instance as job records name it ({@code runner}: host/pid), for operators and for
 * the tests of replicas. Read when the bean is made, at run time: never frozen into a native image.
 */
@ApplicationScoped
public class InstanceName {

    private final String name = System.getenv().getOrDefault("HOSTNAME", "local") + "/" + ProcessHandle.current().pid();

    public String value() {
        return name;
    }
}
