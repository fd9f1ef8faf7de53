/**
 * W10, the public capture endpoints: the tracking collect endpoint and the form handler driven by many concurrent
 * clients, each from its own loopback address, reporting throughput, latency percentiles and errors.
 */
package dev.kindling.bench.capture;
