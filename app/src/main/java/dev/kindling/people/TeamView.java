package dev.kindling.people;

import java.time.Instant;
import java.util.List;

/** A team as the API shows it: its manager (null when none) and its members (users whose team it is), by id. */
public record TeamView(long id, String name, Long managerId, List<Long> memberIds, Instant createdAt) {}
