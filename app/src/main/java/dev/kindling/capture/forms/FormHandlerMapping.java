package dev.kindling.capture.forms;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.context.ApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerExecutionChain;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Finds the public form handler ({@link FormHandler}) for {@code POST /f/{key}} ahead of the application's request
 * mapping. A path with a variable has no direct lookup there, so every post made Spring MVC try each of the
 * application's hundreds of mappings in turn — about a sixth of the form handler's CPU in W10's profile
 * (docs/benchmarks.md). This mapping holds only the handler's own mapping, with the same conditions (method,
 * content types: a JSON body is still 415), so it answers the same; any other request (every one but a POST under
 * {@code /f/}) it leaves to the application's mapping at the cost of a prefix check. The handler stays in the application's mapping too (API documentation,
 * the mappings endpoint).
 */
@Component
class FormHandlerMapping implements HandlerMapping, Ordered {

    private final Mapping mapping;

    FormHandlerMapping(FormHandler handler, ApplicationContext context) {
        this.mapping = new Mapping(handler);
        mapping.setApplicationContext(context);
        mapping.afterPropertiesSet();
    }

    /** Before the application's request mapping (order 0). */
    @Override
    public int getOrder() {
        return -1;
    }

    @Override
    public boolean usesPathPatterns() {
        return true;
    }

    @Override
    public HandlerExecutionChain getHandler(HttpServletRequest request) throws Exception {
        String uri = request.getRequestURI();
        String context = request.getContextPath();
        if (!"POST".equals(request.getMethod())
                || !uri.startsWith(context)
                || !uri.startsWith("/f/", context.length())) {
            return null;
        }
        return mapping.getHandler(request);
    }

    /** A request mapping of the form handler alone. */
    private static final class Mapping extends RequestMappingHandlerMapping {

        private final FormHandler handler;

        Mapping(FormHandler handler) {
            this.handler = handler;
        }

        @Override
        protected void initHandlerMethods() {
            detectHandlerMethods(handler);
            handlerMethodsInitialized(getHandlerMethods());
        }
    }
}
