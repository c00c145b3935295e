package ledger.api.config;

import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.micrometer.core.instrument.MeterRegistry;
import ledger.api.metrics.LedgerMetrics;
import ledger.domain.money.Currencies;
import org.springframework.boot.autoconfigure.jackson.Jackson2ObjectMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
public class ApiConfig {

    /** ISO 4217 plus the configured assets (LEDGER_ASSETS_*). */
    @Bean
    public LedgerMetrics ledgerMetrics(MeterRegistry registry) {
        return new LedgerMetrics(registry, java.time.Clock.systemUTC());
    }

    @Bean
    public Currencies currencies(LedgerProperties properties) {
        // Environment variables arrive lower-cased (LEDGER_ASSETS_USDC=6 binds as "usdc").
        java.util.Map<String, Integer> assets = new java.util.TreeMap<>();
        properties.assets().forEach((code, scale) -> assets.put(code.toUpperCase(java.util.Locale.ROOT), scale));
        return Currencies.withAssets(assets);
    }

    /**
     * Request bodies are strict: an amount or id sent as a JSON number or boolean is refused, not
     * coerced to a string (a float has already lost precision by then).
     */
    @Bean
    public Jackson2ObjectMapperBuilderCustomizer strictScalars() {
        return builder -> builder.postConfigurer(mapper -> mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail));
    }

    @Bean
    public OpenAPI ledgerOpenApi() {
        return new OpenAPI()
                .info(new Info().title("Ledger API").version("v1").description(
                        "Event-sourced double-entry ledger. Amounts are decimal strings; errors are RFC 9457 "
                                + "problem details with a stable `code`; requests that move money need an "
                                + "`Idempotency-Key` header."))
                .components(new Components().addSecuritySchemes("apiKey", new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP).scheme("bearer").description("Authorization: Bearer <api key>")));
    }
}
