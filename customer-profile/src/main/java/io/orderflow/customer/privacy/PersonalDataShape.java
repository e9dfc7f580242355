package io.orderflow.customer.privacy;

import io.orderflow.customer.api.CustomerId;
import io.orderflow.values.PersonalData;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a class keeps personal data, as its serialized JSON shows it: the paths of its {@link PersonalData} text
 * fields (nested values such as an address included) and the field that names the customer they belong to (its one
 * {@link CustomerId} field). Found by reflection over the fields, the way the serializer writes them (records and the
 * field-visible aggregates and sagas: JSON property name = field name).
 *
 * @param subject the JSON property holding the customer id, or null if the class holds no personal data
 * @param paths   the JSON paths of the personal text fields; empty if it holds none
 */
record PersonalDataShape(String subject, List<List<String>> paths) {

    private static final PersonalDataShape NONE = new PersonalDataShape(null, List.of());
    private static final int MAX_DEPTH = 4;

    private static final ClassValue<PersonalDataShape> SHAPES = new ClassValue<>() {
        @Override
        protected PersonalDataShape computeValue(Class<?> type) {
            return find(type);
        }
    };

    static PersonalDataShape of(Class<?> type) {
        return SHAPES.get(type);
    }

    boolean holdsPersonalData() {
        return !paths.isEmpty();
    }

    private static PersonalDataShape find(Class<?> type) {
        if (!ours(type)) {
            return NONE;
        }
        List<List<String>> paths = new ArrayList<>();
        collect(type, new ArrayList<>(), paths, 0);
        if (paths.isEmpty()) {
            return NONE;
        }
        List<String> subjects = new ArrayList<>();
        for (Field field : fields(type)) {
            if (field.getType() == CustomerId.class) {
                subjects.add(field.getName());
            }
        }
        if (subjects.size() != 1) {
            throw new IllegalStateException(type.getName() + " holds personal data " + paths + " and must name its "
                    + "customer in exactly one CustomerId field, but has " + subjects);
        }
        return new PersonalDataShape(subjects.get(0), List.copyOf(paths));
    }

    private static void collect(Class<?> type, List<String> prefix, List<List<String>> paths, int depth) {
        for (Field field : fields(type)) {
            List<String> path = new ArrayList<>(prefix);
            path.add(field.getName());
            if (field.isAnnotationPresent(PersonalData.class)) {
                if (field.getType() != String.class) {
                    throw new IllegalStateException("@PersonalData is for text fields, but " + type.getName() + "."
                            + field.getName() + " is a " + field.getType().getName());
                }
                paths.add(List.copyOf(path));
            } else if (depth < MAX_DEPTH && ours(field.getType()) && !field.getType().isEnum()) {
                collect(field.getType(), path, paths, depth + 1);
            } else {
                refusePersonalDataInside(type, field);
            }
        }
    }

    /**
     * Personal data inside a collection, a map or an array would be written without encryption (the paths here name
     * fields, not elements): such a type is refused when its shape is first needed, not left in plain text.
     */
    private static void refusePersonalDataInside(Class<?> type, Field field) {
        List<Type> elements = new ArrayList<>();
        if (field.getType().isArray()) {
            elements.add(field.getType().getComponentType());
        }
        if (field.getGenericType() instanceof ParameterizedType parameterized) {
            elements.addAll(List.of(parameterized.getActualTypeArguments()));
        }
        for (Type element : elements) {
            if (element instanceof Class<?> elementType && ours(elementType) && !elementType.isEnum()) {
                List<List<String>> inside = new ArrayList<>();
                collect(elementType, new ArrayList<>(), inside, MAX_DEPTH - 1);
                if (!inside.isEmpty()) {
                    throw new IllegalStateException(type.getName() + "." + field.getName() + " holds personal data "
                            + "inside a collection or an array, which is not encrypted: keep it in a field of its own");
                }
            }
        }
    }

    private static List<Field> fields(Class<?> type) {
        List<Field> fields = new ArrayList<>();
        for (Class<?> current = type; current != null && current != Object.class; current = current.getSuperclass()) {
            for (Field field : current.getDeclaredFields()) {
                int modifiers = field.getModifiers();
                if (!Modifier.isStatic(modifiers) && !Modifier.isTransient(modifiers) && !field.isSynthetic()) {
                    fields.add(field);
                }
            }
        }
        return fields;
    }

    /** Only this system's own types are looked into (not Axon's, the JDK's or a library's). */
    private static boolean ours(Class<?> type) {
        return !type.isPrimitive() && !type.isArray() && type.getName().startsWith("io.orderflow.");
    }
}
