/** The lifecycle stages a visitor or prospect moves through, forward and back. */
package dev.kindling.engine.lifecycle;
