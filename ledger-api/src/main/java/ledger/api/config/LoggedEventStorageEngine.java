package ledger.api.config;

import java.util.List;
import ledger.projections.audit.AuditLogAppender;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.serialization.Serializer;

/**
 * The JDBC event store, which puts every batch of events it appends into their tenants' audit logs
 * right after, in the same transaction ({@link AuditLogAppender}): no event is committed without
 * its log position, whatever appended it (a command, a deadline).
 */
final class LoggedEventStorageEngine extends JdbcEventStorageEngine {
    private final AuditLogAppender auditLog;

    LoggedEventStorageEngine(Builder builder, AuditLogAppender auditLog) {
        super(builder);
        this.auditLog = auditLog;
    }

    @Override
    protected void appendEvents(List<? extends EventMessage<?>> events, Serializer serializer) {
        super.appendEvents(events, serializer);
        auditLog.append(events);
    }
}
