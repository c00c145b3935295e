package ledger.api.web;

import com.fasterxml.jackson.databind.DeserializationFeature;
import ledger.api.security.RoleInterceptor;
import org.apache.catalina.core.StandardHost;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.autoconfigure.jackson.Jackson2ObjectMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

@Configuration(proxyBeanMethods = false)
public class WebConfig implements WebMvcConfigurer {
    private final RoleInterceptor roles;

    public WebConfig(RoleInterceptor roles) {
        this.roles = roles;
    }

    /**
     * A request body is exactly one JSON value: content after it ({@code {...} garbage}, or a second
     * object) is malformed JSON and refused, not silently ignored.
     */
    @Bean
    public static Jackson2ObjectMapperBuilderCustomizer rejectTrailingTokens() {
        return builder -> builder.featuresToEnable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /**
     * Errors Tomcat answers by itself are problem documents too ({@link ProblemErrorReportValve}).
     * TRACE is let through to {@link TraceRefusalFilter}, which refuses it with a problem document:
     * Tomcat's own refusal of TRACE has no body at all.
     */
    @Bean
    public static WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemErrorPages() {
        return factory -> {
            factory.addContextCustomizers(context -> {
                if (context.getParent() instanceof StandardHost host) {
                    host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
                }
            });
            factory.addConnectorCustomizers(connector -> connector.setAllowTrace(true));
        };
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(roles).addPathPatterns("/v1/**");
        // a statement upload's body is the file itself (XML, MT940 text, CSV)
        registry.addInterceptor(new JsonBodiesOnly()).addPathPatterns("/v1/**")
                .excludePathPatterns(BodySizeLimitFilter.STATEMENT_PATH);
    }
}
