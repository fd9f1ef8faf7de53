/** The people who use Kindling: users with roles, and the API keys they issue for integrations. */
package dev.kindling.people;
