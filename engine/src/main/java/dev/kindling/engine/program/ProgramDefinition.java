package dev.kindling.engine.program;

import dev.kindling.engine.automation.Action.SendEmail;
import dev.kindling.engine.program.Step.ActionStep;
import dev.kindling.engine.time.BusinessHours;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One immutable version of a program: its steps (a graph from {@code start}), recipient and suppression lists,
 * re-entry policy and optional business hours for sends. Editing a program makes a new version ({@link #revise});
 * an enrollment stays on the version it started on until it finishes.
 *
 * <p>Recipients: a prospect belongs in the program while it is a member of at least one recipient list (any
 * prospect when there are none: a program fed only by "add to program" actions) and of no suppression list.
 */
public final class ProgramDefinition {

    private final long programId;
    private final int version;
    private final String name;
    private final String start;
    private final List<Step> steps;
    private final Map<String, Step> byId;
    private final Set<Long> recipientListIds;
    private final Set<Long> suppressionListIds;
    private final ReEntry reEntry;
    private final BusinessHours businessHours;

    private ProgramDefinition(Builder b) {
        this.programId = b.programId;
        this.version = b.version;
        this.name = b.name;
        this.start = b.start;
        this.steps = List.copyOf(b.steps);
        Map<String, Step> index = new LinkedHashMap<>();
        for (Step step : steps) {
            index.putIfAbsent(step.id(), step);
        }
        this.byId = Collections.unmodifiableMap(index);
        this.recipientListIds = Collections.unmodifiableSet(new LinkedHashSet<>(b.recipientListIds));
        this.suppressionListIds = Collections.unmodifiableSet(new LinkedHashSet<>(b.suppressionListIds));
        this.reEntry = b.reEntry == null ? ReEntry.NEVER : b.reEntry;
        this.businessHours = b.businessHours;
    }

    /** A new program at version 1 whose first step is {@code start}. */
    public static Builder builder(long programId, String name, String start) {
        return new Builder(programId, 1, name, start);
    }

    /** A copy of this version to edit into the next one: same settings and steps, version + 1. */
    public Builder revise() {
        return toBuilder(version + 1);
    }

    /**
     * This version with its email placeholders filled: {@code emails} maps a slot name to a template id; slots not
     * named stay placeholders. The version stays the same: filling a template happens before it first runs.
     */
    public ProgramDefinition withEmails(Map<String, String> emails) {
        Builder b = toBuilder(version);
        b.steps.clear();
        for (Step step : steps) {
            if (step instanceof ActionStep a
                    && a.action() instanceof SendEmail send
                    && send.isPlaceholder()
                    && emails.containsKey(send.slot())) {
                b.steps.add(new ActionStep(a.id(), new SendEmail(emails.get(send.slot())), a.next()));
            } else {
                b.steps.add(step);
            }
        }
        return b.build();
    }

    /** The slots of the email placeholders still to fill, in step order. */
    public List<String> emailPlaceholders() {
        List<String> slots = new ArrayList<>();
        for (Step step : steps) {
            if (step instanceof ActionStep a && a.action() instanceof SendEmail send && send.isPlaceholder()) {
                slots.add(send.slot());
            }
        }
        return slots;
    }

    /**
     * The next version with {@code step} inserted on a branch: on the branch {@code label} of the step
     * {@code afterId}, or before the first step when {@code afterId} is null. Every branch of the new step goes on
     * where that branch went; the branch now leads to the new step. A step or branch that does not exist leaves the
     * new step leading nowhere, which {@link ProgramValidator} then names.
     */
    public ProgramDefinition insert(String afterId, String label, Step step) {
        Builder b = revise();
        String onward;
        if (afterId == null) {
            onward = start;
            b.start(step.id());
        } else {
            Step parent = step(afterId);
            onward = parent == null ? null : parent.target(label);
            if (parent != null && parent.hasBranch(label)) {
                b.replace(parent.withBranch(label, step.id()));
            }
        }
        Step inserted = step;
        for (Step.Branch branch : step.branches()) {
            inserted = inserted.withBranch(branch.label(), onward);
        }
        return b.step(inserted).build();
    }

    /**
     * The next version with the step of the same id replaced by {@code step}; a branch of {@code step} that leads
     * nowhere (null) keeps where the old step's branch of that name led. Nothing changes but the version when no
     * step has that id.
     */
    public ProgramDefinition edit(Step step) {
        Step old = step(step.id());
        Step edited = step;
        if (old != null) {
            for (Step.Branch branch : step.branches()) {
                if (branch.target() == null && old.target(branch.label()) != null) {
                    edited = edited.withBranch(branch.label(), old.target(branch.label()));
                }
            }
        }
        Builder b = revise();
        for (int i = 0; i < b.steps.size(); i++) {
            if (b.steps.get(i).id().equals(step.id())) {
                b.steps.set(i, edited);
            }
        }
        return b.build();
    }

    /**
     * The next version without the step {@code id}: every branch that led to it (and the start) goes on to where its
     * first branch led (nowhere for an END, which {@link ProgramValidator} then names). The same definition, one
     * version on, when there is no such step.
     */
    public ProgramDefinition remove(String id) {
        Step removed = step(id);
        Builder b = revise();
        if (removed == null) {
            return b.build();
        }
        String onward = removed.branches().isEmpty()
                ? null
                : removed.branches().getFirst().target();
        b.steps.clear();
        for (Step s : steps) {
            if (s.id().equals(id)) {
                continue;
            }
            Step relinked = s;
            for (Step.Branch branch : s.branches()) {
                if (id.equals(branch.target())) {
                    relinked = relinked.withBranch(branch.label(), onward);
                }
            }
            b.steps.add(relinked);
        }
        if (id.equals(start)) {
            b.start(onward);
        }
        return b.build();
    }

    private Builder toBuilder(int newVersion) {
        Builder b = new Builder(programId, newVersion, name, start);
        b.steps.addAll(steps);
        b.recipientListIds.addAll(recipientListIds);
        b.suppressionListIds.addAll(suppressionListIds);
        b.reEntry = reEntry;
        b.businessHours = businessHours;
        return b;
    }

    /** Whether a prospect with these list memberships belongs in the program now (see the class comment). */
    public boolean isRecipient(Set<Long> listIds) {
        boolean listed = recipientListIds.isEmpty() || anyIn(recipientListIds, listIds);
        return listed && !isSuppressed(listIds);
    }

    public boolean isSuppressed(Set<Long> listIds) {
        return anyIn(suppressionListIds, listIds);
    }

    /** Whether one of {@code ids} is in {@code listIds}: asked per enrollment and per candidate, so a plain loop. */
    private static boolean anyIn(Set<Long> ids, Set<Long> listIds) {
        for (Long id : ids) {
            if (listIds.contains(id)) {
                return true;
            }
        }
        return false;
    }

    /** The step with this id, or {@code null}. */
    public Step step(String id) {
        return id == null ? null : byId.get(id);
    }

    public long programId() {
        return programId;
    }

    public int version() {
        return version;
    }

    public String name() {
        return name;
    }

    public String start() {
        return start;
    }

    /** The steps in their definition (display) order, duplicates included as given. */
    public List<Step> steps() {
        return steps;
    }

    public Set<Long> recipientListIds() {
        return recipientListIds;
    }

    public Set<Long> suppressionListIds() {
        return suppressionListIds;
    }

    public ReEntry reEntry() {
        return reEntry;
    }

    /** The window for sends, or {@code null} when email may go at any time. */
    public BusinessHours businessHours() {
        return businessHours;
    }

    @Override
    public String toString() {
        return "program " + programId + " v" + version + " " + steps;
    }

    /** Builds a {@link ProgramDefinition}; not thread-safe. */
    public static final class Builder {
        private final long programId;
        private final int version;
        private String name;
        private String start;
        private final List<Step> steps = new ArrayList<>();
        private final Set<Long> recipientListIds = new LinkedHashSet<>();
        private final Set<Long> suppressionListIds = new LinkedHashSet<>();
        private ReEntry reEntry = ReEntry.NEVER;
        private BusinessHours businessHours;

        private Builder(long programId, int version, String name, String start) {
            this.programId = programId;
            this.version = version;
            this.name = name;
            this.start = start;
        }

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public Builder start(String start) {
            this.start = start;
            return this;
        }

        public Builder step(Step step) {
            steps.add(Objects.requireNonNull(step, "step"));
            return this;
        }

        /** Replaces the step with the same id (or adds it at the end). */
        public Builder replace(Step step) {
            for (int i = 0; i < steps.size(); i++) {
                if (steps.get(i).id().equals(step.id())) {
                    steps.set(i, step);
                    return this;
                }
            }
            steps.add(step);
            return this;
        }

        public Builder steps(List<Step> all) {
            steps.clear();
            all.forEach(this::step);
            return this;
        }

        public Builder recipients(Long... listIds) {
            recipientListIds.clear();
            recipientListIds.addAll(List.of(listIds));
            return this;
        }

        public Builder suppressions(Long... listIds) {
            suppressionListIds.clear();
            suppressionListIds.addAll(List.of(listIds));
            return this;
        }

        public Builder reEntry(ReEntry reEntry) {
            this.reEntry = reEntry;
            return this;
        }

        public Builder businessHours(BusinessHours businessHours) {
            this.businessHours = businessHours;
            return this;
        }

        public ProgramDefinition build() {
            return new ProgramDefinition(this);
        }
    }
}
