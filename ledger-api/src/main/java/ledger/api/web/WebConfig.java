package ledger.api.web;

import com.fasterxml.jackson.databind.DeserializationFeature;
import ledger.api.security.RoleInterceptor;
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

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(roles).addPathPatterns("/v1/**");
    }
}
