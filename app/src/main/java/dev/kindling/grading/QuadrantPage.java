package dev.kindling.grading;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** {@code /reports/quadrant}: the fit × interest 2 × 2, each count a link to its prospects. */
@Controller
class QuadrantPage {

    private final QuadrantReport report;

    QuadrantPage(QuadrantReport report) {
        this.report = report;
    }

    @GetMapping("/reports/quadrant")
    String page(Model model) {
        model.addAttribute("report", report.counts());
        return "grading/quadrant";
    }
}
