package dev.kindling.ui;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.ModelAndView;

/**
 * Gives every rendered page what the layout needs: the signed-in user, the navigation they may
 * see and the page they are on. An interceptor rather than a controller advice so that view
 * controllers (the placeholder pages) and error pages get it too.
 */
class ShellInterceptor implements HandlerInterceptor {

    @Override
    public void postHandle(HttpServletRequest request, HttpServletResponse response, Object handler, ModelAndView mav) {
        if (mav == null || (mav.getViewName() != null && mav.getViewName().startsWith("redirect:"))) {
            return;
        }
        SignedInUser user = SignedInUser.of(SecurityContextHolder.getContext().getAuthentication());
        Object errorPath = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        String path = errorPath != null ? errorPath.toString() : request.getRequestURI();
        path = path.substring(request.getContextPath().length());
        mav.addObject("user", user);
        mav.addObject("nav", user == null ? List.of() : Navigation.visibleTo(user.roles()));
        mav.addObject("currentPath", path);
        Navigation.pageOf(path).ifPresent(page -> mav.addObject("currentPage", page));
    }
}
