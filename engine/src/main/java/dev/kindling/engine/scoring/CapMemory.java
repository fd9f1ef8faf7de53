package dev.kindling.engine.scoring;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * A prospect's cap memory ({@link ScoreState#caps}) as an immutable map that is cheap to change: {@link #with} gives
 * a new map sharing everything but the path to the changed key (a hash trie of 32-way nodes), so scoring an activity
 * costs the same whether the prospect has ten caps or ten thousand. Read-only like {@link Map#copyOf}: no null keys
 * or values, every mutator throws.
 */
public final class CapMemory extends AbstractMap<String, Integer> {

    /** The empty cap memory. */
    public static final CapMemory EMPTY = new CapMemory(null, 0);

    private static final int BITS = 5;
    private static final int MASK = (1 << BITS) - 1;

    /** {@code null} (empty), a {@link Leaf}, a {@link Node} or a {@link Collision}. */
    private final Object root;

    private final int size;

    private CapMemory(Object root, int size) {
        this.root = root;
        this.size = size;
    }

    /** The map as a cap memory: itself when it is one, else a copy. */
    public static CapMemory of(Map<String, Integer> map) {
        if (map instanceof CapMemory c) {
            return c;
        }
        CapMemory result = EMPTY;
        for (Map.Entry<String, Integer> e : map.entrySet()) {
            result = result.with(e.getKey(), e.getValue());
        }
        return result;
    }

    /** This memory with {@code key} mapped to {@code value}; this very map when it already is. */
    public CapMemory with(String key, Integer value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        Leaf leaf = new Leaf(hash(key), key, value);
        if (root == null) {
            return new CapMemory(leaf, 1);
        }
        boolean[] added = new boolean[1];
        Object newRoot = put(root, leaf, 0, added);
        return newRoot == root ? this : new CapMemory(newRoot, added[0] ? size + 1 : size);
    }

    /**
     * Reports each key whose value here differs from its value in {@code before} (or that {@code before} lacks).
     * When this memory was made from {@code before} by {@link #with}, only the changed paths are visited.
     */
    public void forEachChangedFrom(Map<String, Integer> before, BiConsumer<String, Integer> action) {
        if (before instanceof CapMemory b) {
            changed(root, b.root, b, action);
        } else {
            forEach((k, v) -> {
                if (!v.equals(before.get(k))) {
                    action.accept(k, v);
                }
            });
        }
    }

    @Override
    public Integer get(Object key) {
        if (!(key instanceof String k) || root == null) {
            return null;
        }
        int h = hash(k);
        Object at = root;
        for (int shift = 0; ; shift += BITS) {
            if (at instanceof Leaf l) {
                return l.hash == h && l.getKey().equals(k) ? l.getValue() : null;
            }
            if (at instanceof Collision c) {
                return c.hash == h ? c.get(k) : null;
            }
            Node n = (Node) at;
            int bit = bit(h, shift);
            if ((n.bitmap & bit) == 0) {
                return null;
            }
            at = n.slots[n.index(bit)];
        }
    }

    @Override
    public boolean containsKey(Object key) {
        return get(key) != null;
    }

    @Override
    public Integer getOrDefault(Object key, Integer defaultValue) {
        Integer v = get(key);
        return v == null ? defaultValue : v;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public boolean isEmpty() {
        return size == 0;
    }

    @Override
    public void forEach(BiConsumer<? super String, ? super Integer> action) {
        each(root, action);
    }

    @Override
    public Set<Map.Entry<String, Integer>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Map.Entry<String, Integer>> iterator() {
                List<Map.Entry<String, Integer>> all = new ArrayList<>(size);
                leaves(root, all);
                return Collections.unmodifiableList(all).iterator();
            }

            @Override
            public int size() {
                return size;
            }
        };
    }

    private static int hash(String key) {
        int h = key.hashCode();
        return h ^ (h >>> 16);
    }

    private static int bit(int hash, int shift) {
        return 1 << ((hash >>> shift) & MASK);
    }

    /** {@code at} with the leaf put in; {@code at} itself when it already holds it. */
    private static Object put(Object at, Leaf leaf, int shift, boolean[] added) {
        if (at instanceof Leaf l) {
            if (l.hash == leaf.hash && l.getKey().equals(leaf.getKey())) {
                return l.getValue().equals(leaf.getValue()) ? l : leaf;
            }
            added[0] = true;
            return l.hash == leaf.hash ? new Collision(l.hash, new Leaf[] {l, leaf}) : pair(l, l.hash, leaf, shift);
        }
        if (at instanceof Collision c) {
            if (c.hash == leaf.hash) {
                return c.with(leaf, added);
            }
            added[0] = true;
            return pair(c, c.hash, leaf, shift);
        }
        Node n = (Node) at;
        int bit = bit(leaf.hash, shift);
        int i = n.index(bit);
        if ((n.bitmap & bit) == 0) {
            added[0] = true;
            Object[] slots = new Object[n.slots.length + 1];
            System.arraycopy(n.slots, 0, slots, 0, i);
            slots[i] = leaf;
            System.arraycopy(n.slots, i, slots, i + 1, n.slots.length - i);
            return new Node(n.bitmap | bit, slots);
        }
        Object child = n.slots[i];
        Object changed = put(child, leaf, shift + BITS, added);
        if (changed == child) {
            return n;
        }
        Object[] slots = n.slots.clone();
        slots[i] = changed;
        return new Node(n.bitmap, slots);
    }

    /** A node at {@code shift} holding {@code existing} (whose hash differs from the leaf's) and the leaf. */
    private static Object pair(Object existing, int existingHash, Leaf leaf, int shift) {
        int a = bit(existingHash, shift);
        int b = bit(leaf.hash, shift);
        if (a == b) {
            // hashes differ, so some deeper level (at most shift 30) tells them apart
            return new Node(a, new Object[] {pair(existing, existingHash, leaf, shift + BITS)});
        }
        Object[] slots =
                Integer.compareUnsigned(a, b) < 0 ? new Object[] {existing, leaf} : new Object[] {leaf, existing};
        return new Node(a | b, slots);
    }

    private static void leaves(Object at, List<Map.Entry<String, Integer>> out) {
        if (at instanceof Leaf l) {
            out.add(l);
        } else if (at instanceof Collision c) {
            out.addAll(Arrays.asList(c.leaves));
        } else if (at instanceof Node n) {
            for (Object child : n.slots) {
                leaves(child, out);
            }
        }
    }

    private static void each(Object at, BiConsumer<? super String, ? super Integer> action) {
        if (at == null) {
            return;
        }
        if (at instanceof Leaf l) {
            action.accept(l.getKey(), l.getValue());
        } else if (at instanceof Collision c) {
            for (Leaf l : c.leaves) {
                action.accept(l.getKey(), l.getValue());
            }
        } else {
            for (Object child : ((Node) at).slots) {
                each(child, action);
            }
        }
    }

    private static void changed(Object after, Object before, CapMemory all, BiConsumer<String, Integer> action) {
        if (after == before) {
            return;
        }
        if (after instanceof Node a && before instanceof Node b) {
            int bits = a.bitmap;
            for (Object child : a.slots) {
                int bit = Integer.lowestOneBit(bits);
                bits &= bits - 1;
                if ((b.bitmap & bit) == 0) {
                    each(child, action);
                } else {
                    changed(child, b.slots[b.index(bit)], all, action);
                }
            }
            return;
        }
        each(after, (k, v) -> {
            if (!v.equals(all.get(k))) {
                action.accept(k, v);
            }
        });
    }

    private static final class Leaf extends AbstractMap.SimpleImmutableEntry<String, Integer> {

        final int hash;

        Leaf(int hash, String key, Integer value) {
            super(key, value);
            this.hash = hash;
        }
    }

    /** Keys of one full hash (rare): a small array. */
    private static final class Collision {

        final int hash;
        final Leaf[] leaves;

        Collision(int hash, Leaf[] leaves) {
            this.hash = hash;
            this.leaves = leaves;
        }

        Integer get(String key) {
            for (Leaf l : leaves) {
                if (l.getKey().equals(key)) {
                    return l.getValue();
                }
            }
            return null;
        }

        Collision with(Leaf leaf, boolean[] added) {
            for (int i = 0; i < leaves.length; i++) {
                if (leaves[i].getKey().equals(leaf.getKey())) {
                    if (leaves[i].getValue().equals(leaf.getValue())) {
                        return this;
                    }
                    Leaf[] copy = leaves.clone();
                    copy[i] = leaf;
                    return new Collision(hash, copy);
                }
            }
            added[0] = true;
            Leaf[] copy = Arrays.copyOf(leaves, leaves.length + 1);
            copy[leaves.length] = leaf;
            return new Collision(hash, copy);
        }
    }

    /** Up to 32 children, present where the bitmap has a bit, in bit order. */
    private static final class Node {

        final int bitmap;
        final Object[] slots;

        Node(int bitmap, Object[] slots) {
            this.bitmap = bitmap;
            this.slots = slots;
        }

        int index(int bit) {
            return Integer.bitCount(bitmap & (bit - 1));
        }
    }
}
