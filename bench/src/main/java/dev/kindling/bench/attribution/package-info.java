/** W7, multi-touch attribution: the app's report next to a hand-written SQL twin over the same tables. */
package dev.kindling.bench.attribution;
