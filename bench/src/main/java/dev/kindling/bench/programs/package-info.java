/** Programs installed as part of a workload's realistic configuration. */
package dev.kindling.bench.programs;
