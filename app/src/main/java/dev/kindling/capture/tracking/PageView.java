package dev.kindling.capture.tracking;

import dev.kindling.capture.VisitorId;
import java.util.Map;

/** A validated page view sent by the tracking script; {@code utm} holds the utm_* parameters present. */
record PageView(VisitorId visitor, String url, String title, String referrer, Map<String, String> utm) {}
