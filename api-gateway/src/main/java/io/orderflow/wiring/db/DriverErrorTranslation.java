package io.orderflow.wiring.db;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.SQLException;

/**
 * Turns an {@link Error} that the PostgreSQL driver throws from a JDBC call into the {@link SQLException} a broken
 * connection should raise (SQL state 08006).
 *
 * <p>When PostgreSQL goes away in the middle of a statement, pgjdbc 42.7 can throw
 * {@code AssertionError("pgStatement.getConnection().getAutoCommit() should not throw")}. An {@code Error} is not
 * what Hibernate, Spring's transaction managers and Axon's unit of work expect from JDBC: they skip their rollback
 * and clean-up, and the request thread kept the dead connection bound to it, so every later request served by that
 * thread failed ("Connection is closed") long after the database was back (found by {@code DatabaseRestartIT},
 * scenario S8). As an {@code SQLException} it takes the normal path: the transaction rolls back, the thread is
 * clean, and the pool drops the connection.
 */
@Component
class DriverErrorTranslation implements BeanPostProcessor {

    private static final Logger LOG = LoggerFactory.getLogger(DriverErrorTranslation.class);
    private static final String BROKEN_CONNECTION = "08006";

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof DataSource dataSource && !Proxy.isProxyClass(bean.getClass())) {
            return wrap(dataSource, DataSource.class);
        }
        return bean;
    }

    @SuppressWarnings("unchecked")
    static <T> T wrap(T target, Class<T> type) {
        return (T) Proxy.newProxyInstance(DriverErrorTranslation.class.getClassLoader(), new Class<?>[] {type},
                new Translating(target));
    }

    private record Translating(Object target) implements InvocationHandler {

        @Override
        public Object invoke(Object proxy, Method method, Object[] arguments) throws Throwable {
            if (method.getName().equals("equals") && arguments != null && arguments.length == 1) {
                Object other = arguments[0];
                return proxy == other || other != null && Proxy.isProxyClass(other.getClass())
                        && Proxy.getInvocationHandler(other) instanceof Translating translating
                        && translating.target().equals(target);
            }
            if (method.getName().equals("hashCode") && (arguments == null || arguments.length == 0)) {
                return target.hashCode();
            }
            if (method.getName().equals("unwrap") && arguments != null && arguments[0] instanceof Class<?> wanted
                    && wanted.isInstance(target)) {
                return target;
            }
            if (method.getName().equals("isWrapperFor") && arguments != null
                    && arguments[0] instanceof Class<?> wanted && wanted.isInstance(target)) {
                return true;
            }
            Object result;
            try {
                result = method.invoke(target, arguments);
            } catch (InvocationTargetException e) {
                Throwable cause = e.getCause();
                if (cause instanceof Error error && fromDriver(error)) {
                    LOG.warn("The PostgreSQL driver threw {} from {}; treated as a broken connection", error,
                            method.getName());
                    throw new SQLException("the database connection broke: " + error.getMessage(),
                            BROKEN_CONNECTION, error);
                }
                throw cause;
            }
            Class<?> returned = method.getReturnType();
            if (result != null && returned.isInterface() && returned.getName().startsWith("java.sql.")
                    && !returned.equals(java.sql.Array.class)) {
                return Proxy.newProxyInstance(DriverErrorTranslation.class.getClassLoader(),
                        new Class<?>[] {returned}, new Translating(result));
            }
            return result;
        }

        private static boolean fromDriver(Error error) {
            StackTraceElement[] stack = error.getStackTrace();
            return error instanceof AssertionError && stack.length > 0
                    && stack[0].getClassName().startsWith("org.postgresql.");
        }
    }
}
