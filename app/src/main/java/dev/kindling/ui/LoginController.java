package dev.kindling.ui;

import dev.kindling.platform.security.SignInLockedException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.WebAttributes;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The sign-in page; Spring Security's form login handles the POST. After a refused sign-in it says why when the
 * account or address is locked for too many failures (the message names the minutes left).
 */
@Controller
class LoginController {

    @GetMapping("/login")
    String login(Authentication authentication, HttpServletRequest request, Model model) {
        if (SignedInUser.of(authentication) != null) {
            return "redirect:/";
        }
        HttpSession session = request.getSession(false);
        if (request.getParameter("error") != null
                && session != null
                && session.getAttribute(WebAttributes.AUTHENTICATION_EXCEPTION) instanceof SignInLockedException e) {
            model.addAttribute("locked", e.getMessage());
        }
        return "login";
    }
}
