package dev.kindling.platform.security;

import java.util.List;

/** Lines a capability adds to the start log's closing block ({@link ReadyBanner}), e.g. the demo's users. */
public interface StartNote {

    List<String> lines();
}
