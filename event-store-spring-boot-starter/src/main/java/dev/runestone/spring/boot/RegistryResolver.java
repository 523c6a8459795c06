package dev.runestone.spring.boot;

import dev.runestone.registry.EventRegistry;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfigurationPackages;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.util.ClassUtils;

/**
 * Finds the registry of the generated event interface that {@code runestone.registry} names, or of the only one in
 * the application's packages.
 */
final class RegistryResolver {

    static final String PROPERTY = "runestone.registry";

    private RegistryResolver() {
    }

    /**
     * The registry of the interface {@code name}, or, when no name is given, of the one generated event interface in
     * the application's packages (those of its {@code @SpringBootApplication} class and below).
     */
    static EventRegistry<?> resolve(@Nullable String name, BeanFactory beans, ClassLoader classLoader) {
        if (name == null || name.isBlank()) {
            return resolve(detect(beans, classLoader), beans, classLoader);
        }
        Class<?> type;
        try {
            type = ClassUtils.forName(name.strip(), classLoader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new RunestoneConfigurationException(PROPERTY,
                    PROPERTY + " is '" + name + "', but no class of that name is on the classpath.",
                    "Set it to the fully qualified name of the event interface Runestone generated (such as "
                            + "com.acme.users.UserEvent), or declare an EventRegistry bean.", e);
        }
        Method registry = registryMethod(type);
        if (registry == null) {
            throw new RunestoneConfigurationException(PROPERTY,
                    PROPERTY + " is '" + name + "', which has no static registry() method returning an "
                            + "EventRegistry.",
                    "Name the event interface Runestone generated from your event configs (it has registry()), or "
                            + "declare an EventRegistry bean.");
        }
        Object[] arguments = new Object[registry.getParameterCount()];
        if (arguments.length == 1) {
            Class<?> upcasters = registry.getParameterTypes()[0];
            Object bean = beans.getBeanProvider(upcasters).getIfAvailable();
            if (bean == null) {
                throw new RunestoneConfigurationException(PROPERTY,
                        type.getSimpleName() + " has event types with older versions, so its registry needs a "
                                + upcasters.getSimpleName() + " to read them, and the context has none.",
                        "Declare a bean implementing " + upcasters.getName() + ".");
            }
            arguments[0] = bean;
        }
        try {
            return (EventRegistry<?>) registry.invoke(null, arguments);
        } catch (IllegalAccessException e) {
            throw new RunestoneConfigurationException(PROPERTY, type.getName() + ".registry() cannot be called: "
                    + e.getMessage(), "Make the event interface public.", e);
        } catch (InvocationTargetException e) {
            throw new RunestoneConfigurationException(PROPERTY, type.getName() + ".registry() failed: "
                    + e.getCause().getMessage(), "Fix the registry's configuration, then start again.",
                    e.getCause());
        }
    }

    /** The one generated event interface in the application's packages, found by its static {@code registry()}. */
    private static String detect(BeanFactory beans, ClassLoader classLoader) {
        List<String> packages = AutoConfigurationPackages.has(beans) ? AutoConfigurationPackages.get(beans) : List.of();
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false) {
            @Override
            protected boolean isCandidateComponent(AnnotatedBeanDefinition definition) {
                return definition.getMetadata().isInterface();
            }
        };
        scanner.setResourceLoader(new DefaultResourceLoader(classLoader));
        scanner.addIncludeFilter((reader, readers) -> reader.getClassMetadata().isInterface()
                && reader.getAnnotationMetadata().getDeclaredMethods().stream()
                        .anyMatch(method -> method.getMethodName().equals("registry") && method.isStatic()
                                && method.getReturnTypeName().equals(EventRegistry.class.getName())));
        Set<String> found = new TreeSet<>();
        for (String base : packages) {
            scanner.findCandidateComponents(base).forEach(definition -> found.add(definition.getBeanClassName()));
        }
        if (found.size() == 1) {
            return found.iterator().next();
        }
        if (found.size() > 1) {
            throw new RunestoneConfigurationException(PROPERTY,
                    "The application's packages hold several generated event interfaces " + found + ", and "
                            + PROPERTY + " does not say which one the store reads and writes.",
                    "Set " + PROPERTY + " to one of them, or declare an EventRegistry bean.");
        }
        throw new RunestoneConfigurationException(PROPERTY,
                "Runestone needs an event registry to read and write events; none is configured, and the "
                        + "application's packages " + packages + " hold no generated event interface.",
                "Set " + PROPERTY + " to the event interface Runestone generated from your event configs (such as "
                        + "com.acme.users.UserEvent), or declare an EventRegistry bean.");
    }

    /** {@code registry()}, or {@code registry(upcasters)} once a type has versions. */
    private static @Nullable Method registryMethod(Class<?> type) {
        for (Method method : type.getMethods()) {
            if (method.getName().equals("registry") && Modifier.isStatic(method.getModifiers())
                    && EventRegistry.class.isAssignableFrom(method.getReturnType())
                    && method.getParameterCount() <= 1) {
                return method;
            }
        }
        return null;
    }
}
