import io.github.dsw.labs.McsLockLab;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Lab mcs-lock (course chapter 4): Mellor-Crummey and Scott's queue lock (ACM TOCS 9(1), 1991, section 2;
 * Herlihy and Shavit, The Art of Multiprocessor Programming, chapter 7).
 *
 * <p>The lock is one word, {@code tail}: the last node of a queue of waiting threads, or null.
 * <ul>
 *   <li>{@code lock()}: make a fresh node with {@code locked = true}, swap it into {@code tail} (getAndSet); if
 *       there was a predecessor, link yourself into its {@code next} and spin until your own {@code locked} is
 *       false. Remember your node: {@code unlock()} needs it.</li>
 *   <li>{@code unlock()}: if your node has no successor linked, try to swing {@code tail} from your node back to
 *       null (compareAndSet); if that fails, someone has swapped in behind you but not linked yet: wait for the
 *       link. Then clear the successor's {@code locked}.</li>
 * </ul>
 * The fields the threads share must be volatile (or use VarHandles/atomics): think about which write must be
 * visible before which read. With more threads than cores, call {@link Thread#yield()} now and then while
 * spinning, or the thread you wait for may not get a core.
 *
 * <p>Grade: {@code ./dsw grade mcs-lock}.
 */
public final class StudentMcsLock implements McsLockLab {

    static final class Node {
        volatile Node next;
        volatile boolean locked;
    }

    private final AtomicReference<Node> tail = new AtomicReference<>();

    @Override
    public void lock() {
        throw new UnsupportedOperationException("lab mcs-lock: lock() not implemented yet");
    }

    @Override
    public void unlock() {
        throw new UnsupportedOperationException("lab mcs-lock: unlock() not implemented yet");
    }

    @Override
    public Object tail() {
        return tail.get();
    }
}
