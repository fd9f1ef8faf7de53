package dev.kindling.ui;

import dev.kindling.platform.outbound.PublicUrl;
import dev.kindling.platform.security.Role;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.ModelAndView;

/**
 * While Kindling has no public URL, every page an admin sees carries a warning (marketing email is held) with the
 * admin's own browser address offered, one click to save it — so the first admin sign-in sets it.
 */
class PublicUrlBanner implements HandlerInterceptor {

    private final PublicUrl publicUrl;

    PublicUrlBanner(PublicUrl publicUrl) {
        this.publicUrl = publicUrl;
    }

    @Override
    public void postHandle(HttpServletRequest request, HttpServletResponse response, Object handler, ModelAndView mav) {
        if (mav == null || (mav.getViewName() != null && mav.getViewName().startsWith("redirect:"))) {
            return;
        }
        Authentication who = SecurityContextHolder.getContext().getAuthentication();
        if (Role.any(who, Role.ADMIN) && publicUrl.base().isEmpty()) {
            mav.addObject("suggestedPublicUrl", PublicUrl.suggestedFrom(request));
        }
    }
}
