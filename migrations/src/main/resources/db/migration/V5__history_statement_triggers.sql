-- The row-level triggers of V1 and V4 refuse every UPDATE or DELETE that reaches a row of history,
-- but one that matches no row (a tenant with no stored Merkle node yet, a mistyped WHERE) completed
-- without error. Refusing the statement itself, before it looks at any row, leaves no such case.
CREATE TRIGGER domain_event_entry_no_update_delete_statement
    BEFORE UPDATE OR DELETE ON domain_event_entry
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_history_change();
CREATE TRIGGER audit_log_no_update_delete_statement
    BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_history_change();
CREATE TRIGGER audit_merkle_node_no_update_delete_statement
    BEFORE UPDATE OR DELETE ON audit_merkle_node
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_history_change();
CREATE TRIGGER audit_checkpoint_no_update_delete_statement
    BEFORE UPDATE OR DELETE ON audit_checkpoint
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_history_change();
CREATE TRIGGER audit_key_no_update_delete_statement
    BEFORE UPDATE OR DELETE ON audit_key
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_history_change();
