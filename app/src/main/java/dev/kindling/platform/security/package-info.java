/** Who may do what: users and roles, API keys as Bearer tokens, UI sessions with CSRF, the admin bootstrap. */
package dev.kindling.platform.security;
