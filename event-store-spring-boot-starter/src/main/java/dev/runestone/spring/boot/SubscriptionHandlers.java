package dev.runestone.spring.boot;

import dev.runestone.EventRecord;
import dev.runestone.registry.EventRegistry;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.aop.scope.ScopedProxyUtils;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ReflectionUtils;

/** The {@link RunestoneSubscription} methods of a context's beans, by subscription name. */
final class SubscriptionHandlers {

    /** One annotated method, on its bean. */
    record HandlerMethod(String beanName, Object bean, Method method, Class<?> eventClass, boolean takesRecord,
            boolean transactional) {

        /** Calls the method if the event is of its class; rethrows what the method throws. */
        void handle(EventRecord<?> record) throws Exception {
            if (!eventClass.isInstance(record.event())) {
                return;
            }
            try {
                method.invoke(bean, takesRecord ? record : record.event());
            } catch (InvocationTargetException e) {
                if (e.getCause() instanceof Exception cause) {
                    throw cause;
                }
                throw e;
            }
        }

        String describe() {
            return beanName + "." + method.getName();
        }
    }

    private SubscriptionHandlers() {
    }

    /**
     * Finds every annotated method and checks its signature against the registry's event type.
     *
     * @throws RunestoneConfigurationException for a method Runestone cannot call, naming it and the fix
     */
    static Map<String, List<HandlerMethod>> find(ListableBeanFactory beans, EventRegistry<?> registry) {
        Map<String, List<HandlerMethod>> byName = new LinkedHashMap<>();
        for (String beanName : beans.getBeanDefinitionNames()) {
            if (ScopedProxyUtils.isScopedTarget(beanName)) {
                continue; // Its proxy, under the plain name, stands for it.
            }
            Class<?> type = beans.getType(beanName, false);
            if (type == null) {
                continue;
            }
            Map<Method, RunestoneSubscription> methods = MethodIntrospector.selectMethods(type,
                    (MethodIntrospector.MetadataLookup<RunestoneSubscription>) method ->
                            AnnotatedElementUtils.findMergedAnnotation(method, RunestoneSubscription.class));
            for (Map.Entry<Method, RunestoneSubscription> entry : methods.entrySet()) {
                HandlerMethod handler = handlerMethod(beanName, beans.getBean(beanName), entry.getKey(),
                        entry.getValue(), registry.eventType());
                byName.computeIfAbsent(entry.getValue().value(), name -> new ArrayList<>()).add(handler);
            }
        }
        for (Map.Entry<String, List<HandlerMethod>> subscription : byName.entrySet()) {
            List<HandlerMethod> handlers = subscription.getValue();
            if (handlers.stream().map(HandlerMethod::transactional).distinct().count() > 1) {
                throw new RunestoneConfigurationException("@RunestoneSubscription",
                        "Subscription '" + subscription.getKey() + "' has transactional and plain handler methods ("
                                + String.join(", ", handlers.stream().map(HandlerMethod::describe).toList())
                                + "); one subscription runs its handlers one way.",
                        "Give the transactional methods a subscription name of their own, or make all of them "
                                + "transactional.");
            }
        }
        return byName;
    }

    private static HandlerMethod handlerMethod(String beanName, Object bean, Method method,
            RunestoneSubscription annotation, Class<?> eventType) {
        String where = beanName + "." + method.getName();
        if (method.getParameterCount() != 1) {
            throw new RunestoneConfigurationException("@RunestoneSubscription",
                    "Handler method " + where + " of subscription '" + annotation.value() + "' takes "
                            + method.getParameterCount() + " parameters.",
                    "Give it one: the event record it handles (such as UserCreated) or an EventRecord<UserCreated>.");
        }
        Class<?> parameter = method.getParameterTypes()[0];
        boolean takesRecord = parameter == EventRecord.class;
        Class<?> eventClass = takesRecord ? recordEventClass(method.getGenericParameterTypes()[0], where)
                : parameter;
        if (!eventClass.isAssignableFrom(eventType) && !eventType.isAssignableFrom(eventClass)) {
            throw new RunestoneConfigurationException("@RunestoneSubscription",
                    "Handler method " + where + " takes " + eventClass.getName() + ", which is not one of the "
                            + "registry's events (" + eventType.getName() + ").",
                    "Take one of the event records the registry knows, or " + eventType.getSimpleName()
                            + " for all of them.");
        }
        ReflectionUtils.makeAccessible(method);
        return new HandlerMethod(beanName, bean, method, eventClass, takesRecord, annotation.transactional());
    }

    private static Class<?> recordEventClass(Type parameter, String where) {
        if (parameter instanceof ParameterizedType generic
                && generic.getActualTypeArguments()[0] instanceof Class<?> eventClass) {
            return eventClass;
        }
        throw new RunestoneConfigurationException("@RunestoneSubscription",
                "Handler method " + where + " takes an EventRecord without saying of which event.",
                "Declare the parameter as EventRecord<UserCreated> (or of the event interface, for all events).");
    }
}
