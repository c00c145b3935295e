package ledger.api;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The ledger service. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class LedgerApplication {
    public static void main(String[] args) {
        System.setProperty("disable-axoniq-console-message", "true");
        System.setProperty("axoniq.update-checker.disabled", "true"); // no phoning home from a ledger
        SpringApplication.run(LedgerApplication.class, args);
    }
}
