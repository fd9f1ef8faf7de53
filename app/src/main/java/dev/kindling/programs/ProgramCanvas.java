package dev.kindling.programs;

import dev.kindling.engine.program.ProgramDefinition;
import dev.kindling.engine.program.Step;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A program drawn as a flow (the canvas of the program page): a layered top-down layout of the program's graph.
 * A step's layer is its distance from the first step (breadth first), its place in the layer the order it was met
 * (so a yes branch stands left of its no branch); steps no branch reaches sit in a last layer. An edge down the
 * layers is a curve from the bottom of one node to the top of the next; an edge to a step in the same layer or above
 * (a loop, a merge back) runs around the right-hand side. Only numbers and the steps' own texts leave this class:
 * the template draws them as SVG with {@code th:text} and attribute processors, so every label is escaped.
 */
record ProgramCanvas(int width, int height, List<Node> nodes, List<Edge> edges) {

    static final int NODE_WIDTH = 230;
    static final int NODE_HEIGHT = 84;
    private static final int GAP_X = 40;
    private static final int GAP_Y = 64;
    private static final int MARGIN = 24;
    private static final int LOOP_OUT = 56;
    private static final int SUMMARY_LENGTH = 34;

    /**
     * A step as a box: its top-left corner, the texts of its lines (type and id, the summary cut to fit, the
     * figures, and for a trigger or rule how many went yes and no), the full summary for its tooltip.
     */
    record Node(
            String stepId,
            String type,
            int x,
            int y,
            String summary,
            String shortSummary,
            String figures,
            String branches,
            boolean unreached) {}

    /** A branch from one step to another: its label (next, yes, no), its SVG path and where its label stands. */
    record Edge(String from, String to, String label, String path, int labelX, int labelY) {}

    static ProgramCanvas of(ProgramDefinition d, ProgramReports.Report report, Function<Step, String> summaries) {
        // layers: breadth first from the first step
        Map<String, Integer> layer = new LinkedHashMap<>();
        Deque<String> queue = new ArrayDeque<>();
        if (d.step(d.start()) != null) {
            layer.put(d.start(), 0);
            queue.add(d.start());
        }
        while (!queue.isEmpty()) {
            String id = queue.poll();
            for (Step.Branch b : d.step(id).branches()) {
                if (d.step(b.target()) != null && !layer.containsKey(b.target())) {
                    layer.put(b.target(), layer.get(id) + 1);
                    queue.add(b.target());
                }
            }
        }
        int reachedLayers = layer.values().stream().mapToInt(i -> i + 1).max().orElse(0);
        List<String> unreached = new ArrayList<>();
        for (Step s : d.steps()) {
            if (!layer.containsKey(s.id())) {
                layer.put(s.id(), reachedLayers);
                unreached.add(s.id());
            }
        }
        List<List<String>> layers = new ArrayList<>();
        layer.forEach((id, l) -> {
            while (layers.size() <= l) {
                layers.add(new ArrayList<>());
            }
            layers.get(l).add(id);
        });
        int widest = layers.stream().mapToInt(List::size).max().orElse(1);
        int contentWidth = widest * NODE_WIDTH + (widest - 1) * GAP_X;
        // room on the right for edges that run back up
        int width = 2 * MARGIN + contentWidth + LOOP_OUT + 16;
        int height = 2 * MARGIN + layers.size() * NODE_HEIGHT + Math.max(0, layers.size() - 1) * GAP_Y;

        Map<String, int[]> at = new LinkedHashMap<>();
        List<Node> nodes = new ArrayList<>();
        for (int l = 0; l < layers.size(); l++) {
            List<String> row = layers.get(l);
            int rowWidth = row.size() * NODE_WIDTH + (row.size() - 1) * GAP_X;
            int x = MARGIN + (contentWidth - rowWidth) / 2;
            int y = MARGIN + l * (NODE_HEIGHT + GAP_Y);
            for (String id : row) {
                at.put(id, new int[] {x, y});
                Step step = d.step(id);
                String summary = summaries.apply(step);
                nodes.add(new Node(
                        id,
                        ProgramReports.type(step),
                        x,
                        y,
                        summary,
                        cut(summary),
                        figures(report.step(id)),
                        branches(step, report.step(id)),
                        unreached.contains(id)));
                x += NODE_WIDTH + GAP_X;
            }
        }

        List<Edge> edges = new ArrayList<>();
        for (Step s : d.steps()) {
            int[] from = at.get(s.id());
            for (Step.Branch b : s.branches()) {
                int[] to = at.get(b.target());
                if (to != null) {
                    edges.add(edge(s.id(), b, from, to, layer.get(s.id()), layer.get(b.target())));
                }
            }
        }
        return new ProgramCanvas(width, height, nodes, edges);
    }

    private static Edge edge(String fromId, Step.Branch b, int[] from, int[] to, int fromLayer, int toLayer) {
        double x0, y0, x1, y1, x2, y2, x3, y3;
        if (toLayer > fromLayer) {
            x0 = from[0] + NODE_WIDTH / 2.0;
            y0 = from[1] + NODE_HEIGHT;
            x3 = to[0] + NODE_WIDTH / 2.0;
            y3 = to[1];
            x1 = x0;
            y1 = y0 + GAP_Y / 2.0;
            x2 = x3;
            y2 = y3 - GAP_Y / 2.0;
        } else {
            // back up (or across): out of the right side, around, into the target's right side
            x0 = from[0] + NODE_WIDTH;
            y0 = from[1] + NODE_HEIGHT / 2.0;
            x3 = to[0] + NODE_WIDTH;
            y3 = to[1] + NODE_HEIGHT / 2.0;
            double out = Math.max(x0, x3) + LOOP_OUT;
            x1 = out;
            y1 = y0;
            x2 = out;
            y2 = y3;
        }
        String path = "M %d %d C %d %d, %d %d, %d %d"
                .formatted(
                        Math.round(x0),
                        Math.round(y0),
                        Math.round(x1),
                        Math.round(y1),
                        Math.round(x2),
                        Math.round(y2),
                        Math.round(x3),
                        Math.round(y3));
        // the curve's midpoint, B(1/2) = (P0 + 3 P1 + 3 P2 + P3) / 8
        int lx = (int) Math.round((x0 + 3 * x1 + 3 * x2 + x3) / 8);
        int ly = (int) Math.round((y0 + 3 * y1 + 3 * y2 + y3) / 8);
        return new Edge(fromId, b.target(), b.label(), path, lx, ly);
    }

    private static String cut(String summary) {
        return summary.length() <= SUMMARY_LENGTH ? summary : summary.substring(0, SUMMARY_LENGTH - 1) + "…";
    }

    private static String figures(ProgramReports.StepReport r) {
        if (r == null) {
            return "0 entered · 0 at step · 0 passed";
        }
        long passed = r.passedYes() + r.passedNo() + r.passedNext();
        return r.entered() + " entered · " + r.waiting() + " at step · " + passed + " passed";
    }

    private static String branches(Step step, ProgramReports.StepReport r) {
        if (r != null && r.sent() + r.skipped() > 0) {
            return "sent " + r.sent() + " · opened " + r.opened() + " · clicked " + r.clicked();
        }
        if (!step.hasBranch("yes")) {
            return "";
        }
        return "yes " + (r == null ? 0 : r.passedYes()) + " · no " + (r == null ? 0 : r.passedNo());
    }
}
