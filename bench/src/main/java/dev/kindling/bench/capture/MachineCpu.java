package dev.kindling.bench.capture;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The machine's CPU time so far, busy and in all, in clock ticks of all its cores together, as Linux counts it in
 * {@code /proc/stat}: what a W10 window tells of how busy the machine was besides the app, the database and the load
 * generator (the kernel's own threads, and anything else running).
 */
record MachineCpu(long busy, long total, int cores) {

    /** A reading, or null where there is no {@code /proc/stat}. */
    static MachineCpu read() {
        try {
            return parse(Files.readAllLines(Path.of("/proc/stat")));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The reading in {@code /proc/stat}'s lines: the first ({@code cpu}) sums every core; one {@code cpuN} a core. */
    static MachineCpu parse(List<String> lines) {
        String[] fields = lines.getFirst().trim().split("\\s+");
        if (!fields[0].equals("cpu")) {
            throw new IllegalArgumentException("not /proc/stat: " + lines.getFirst());
        }
        // user nice system idle iowait irq softirq steal (guest time is counted in user already)
        long total = 0;
        for (int i = 1; i <= Math.min(8, fields.length - 1); i++) {
            total += Long.parseLong(fields[i]);
        }
        long idle = Long.parseLong(fields[4]) + (fields.length > 5 ? Long.parseLong(fields[5]) : 0);
        int cores = (int) lines.stream()
                .filter(line -> line.length() > 3 && line.startsWith("cpu") && Character.isDigit(line.charAt(3)))
                .count();
        return new MachineCpu(total - idle, total, cores);
    }

    /** The share of the machine's CPU time that was busy between {@code earlier} and this reading, 0 to 1. */
    double busySince(MachineCpu earlier) {
        long all = total - earlier.total;
        return all <= 0 ? Double.NaN : (busy - earlier.busy) / (double) all;
    }
}
