package dev.kindling.ui;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The home page: where the prospect base stands today. */
@Controller
class HomeController {

    private final HomeFigures figures;

    HomeController(HomeFigures figures) {
        this.figures = figures;
    }

    @GetMapping("/")
    String home(Model model) {
        model.addAttribute("figures", figures.current());
        return "home";
    }
}
