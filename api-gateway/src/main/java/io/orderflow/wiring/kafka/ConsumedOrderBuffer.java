package io.orderflow.wiring.kafka;

import org.axonframework.extensions.kafka.eventhandling.consumer.streamable.Buffer;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Hands Kafka records to a processor in the order the consumer read them, first in, first out.
 *
 * <p>The Kafka extension gives each record the token "everything read so far, up to this record", in the order the
 * consumer read them, and its default buffer then re-sorts the records by timestamp across partitions. A record
 * handed out earlier can then carry a token that covers a record handed out later: if the process dies between the
 * two, the committed token already counts the second record as done and it is never delivered (seen: a saga that
 * never resumed after a kill). Handing records out in reading order keeps every committed token behind every record
 * not yet processed, which is what at-least-once needs (ADR 0008). Order within a partition is Kafka's either way.
 *
 * <p>A consumer failure set with {@link #setException} is thrown to the reader once the buffer is drained.
 */
final class ConsumedOrderBuffer<E> implements Buffer<E> {

    private final int capacity;
    private final ArrayDeque<E> queue;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    private volatile RuntimeException failure;

    ConsumedOrderBuffer(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        this.capacity = capacity;
        this.queue = new ArrayDeque<>(Math.min(capacity, 1024));
    }

    @Override
    public void put(E element) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (queue.size() >= capacity) {
                notFull.await();
            }
            queue.addLast(element);
            notEmpty.signal();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void putAll(Collection<E> elements) throws InterruptedException {
        for (E element : elements) {
            put(element);
        }
    }

    @Override
    public E poll(long timeout, TimeUnit unit) throws InterruptedException {
        long nanos = unit.toNanos(timeout);
        lock.lockInterruptibly();
        try {
            while (queue.isEmpty()) {
                throwIfFailed();
                if (nanos <= 0) {
                    return null;
                }
                nanos = notEmpty.awaitNanos(nanos);
            }
            return removeFirst();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public E take() throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (queue.isEmpty()) {
                throwIfFailed();
                notEmpty.await();
            }
            return removeFirst();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public E peek() {
        lock.lock();
        try {
            if (queue.isEmpty()) {
                throwIfFailed();
            }
            return queue.peekFirst();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int size() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean isEmpty() {
        return size() == 0;
    }

    @Override
    public int remainingCapacity() {
        return capacity - size();
    }

    @Override
    public void clear() {
        lock.lock();
        try {
            queue.clear();
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void setException(RuntimeException exception) {
        failure = exception;
        lock.lock();
        try {
            notEmpty.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private E removeFirst() {
        E first = queue.pollFirst();
        notFull.signal();
        return first;
    }

    private void throwIfFailed() {
        RuntimeException failed = failure;
        if (failed != null) {
            throw failed;
        }
    }
}
