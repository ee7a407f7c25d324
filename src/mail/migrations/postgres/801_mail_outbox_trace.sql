-- The W3C traceparent of the work that queued a mail (a request or one of its transactions), so
-- that the SMTP call made later by the sender is a span of the same trace. NULL outside a trace.
ALTER TABLE mail_outbox ADD COLUMN traceparent TEXT;
