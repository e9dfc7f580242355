package io.orderflow.customer.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderflow.values.PersonalData;
import org.axonframework.serialization.Converter;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.SerializedType;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.axonframework.serialization.UnknownSerializedType;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * Axon's serializer with personal data encrypted: wraps a JSON serializer (Axon's {@code JacksonSerializer}) and,
 * for a type that holds {@link PersonalData} fields, encrypts them with the customer's data key on the way out and
 * decrypts them on the way in. Everything Axon keeps or sends goes through a serializer (events in the store and on
 * Kafka, snapshots, sagas, dead letters, deadlines), so wrapping the event serializer and the general one covers it
 * all. A field whose customer was erased is written, and read, as {@link PersonalData#ERASED}; every other field,
 * and every type without personal data, is exactly what the wrapped serializer makes.
 */
public class PersonalDataSerializer implements Serializer {

    private final Serializer delegate;
    private final Supplier<CustomerDataKeys> keySource;
    private volatile CustomerDataKeys keys;

    /** @param delegate a serializer whose converter reads and writes Jackson's {@link JsonNode} */
    public PersonalDataSerializer(Serializer delegate, CustomerDataKeys keys) {
        this(delegate, () -> keys);
        Objects.requireNonNull(keys, "keys");
    }

    /**
     * @param delegate  a serializer whose converter reads and writes Jackson's {@link JsonNode}
     * @param keySource the keys, looked up at first use (the serializer is made before the database is ready)
     */
    public PersonalDataSerializer(Serializer delegate, Supplier<CustomerDataKeys> keySource) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.keySource = Objects.requireNonNull(keySource, "keySource");
        if (!delegate.getConverter().canConvert(byte[].class, JsonNode.class)) {
            throw new IllegalArgumentException("the wrapped serializer must convert to and from JSON trees");
        }
    }

    public Serializer delegate() {
        return delegate;
    }

    @Override
    public <T> SerializedObject<T> serialize(Object object, Class<T> expectedRepresentation) {
        PersonalDataShape shape = object == null ? null : PersonalDataShape.of(object.getClass());
        if (shape == null || !shape.holdsPersonalData()) {
            return delegate.serialize(object, expectedRepresentation);
        }
        SerializedObject<JsonNode> json = delegate.serialize(object, JsonNode.class);
        JsonNode tree = json.getData();
        if (tree instanceof ObjectNode root) {
            encrypt(root, shape, object.getClass());
        }
        return getConverter().convert(new SimpleSerializedObject<>(tree, JsonNode.class, json.getType()),
                expectedRepresentation);
    }

    @Override
    public <S, T> T deserialize(SerializedObject<S> serializedObject) {
        PersonalDataShape shape = shapeOf(serializedObject.getType());
        if (shape == null || !shape.holdsPersonalData()) {
            return delegate.deserialize(serializedObject);
        }
        // A copy: the converted tree may be shared (an upcaster's intermediate form, a cached message).
        JsonNode tree = getConverter().convert(serializedObject, JsonNode.class).getData().deepCopy();
        if (tree instanceof ObjectNode root) {
            decrypt(root, shape);
        }
        return delegate.deserialize(new SimpleSerializedObject<>(tree, JsonNode.class, serializedObject.getType()));
    }

    private CustomerDataKeys keys() {
        CustomerDataKeys current = keys;
        if (current == null) {
            current = Objects.requireNonNull(keySource.get(), "no customer data keys");
            keys = current;
        }
        return current;
    }

    @Override
    public <T> boolean canSerializeTo(Class<T> expectedRepresentation) {
        return delegate.canSerializeTo(expectedRepresentation);
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Class classForType(SerializedType type) {
        return delegate.classForType(type);
    }

    @Override
    public SerializedType typeForClass(Class type) {
        return delegate.typeForClass(type);
    }

    @Override
    public Converter getConverter() {
        return delegate.getConverter();
    }

    private PersonalDataShape shapeOf(SerializedType type) {
        if (type == null || SerializedType.emptyType().equals(type)) {
            return null;
        }
        Class<?> clazz;
        try {
            clazz = delegate.classForType(type);
        } catch (RuntimeException e) {
            return null;
        }
        return clazz == null || clazz == UnknownSerializedType.class ? null : PersonalDataShape.of(clazz);
    }

    private void encrypt(ObjectNode root, PersonalDataShape shape, Class<?> type) {
        PersonalFields.encrypt(root, shape, keys(), type.getName(), false);
    }

    private void decrypt(ObjectNode root, PersonalDataShape shape) {
        PersonalFields.decrypt(root, shape, keys());
    }
}
