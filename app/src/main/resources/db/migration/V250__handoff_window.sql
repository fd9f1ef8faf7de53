-- Each handoff keeps the SLA window it was given when it opened: due_at was stored already, at_risk_at joins it, so
-- the sweep decides from the handoff's own instants and a later settings change applies to new handoffs only.
ALTER TABLE sales_handoff ADD COLUMN at_risk_at timestamptz;
UPDATE sales_handoff h
   SET at_risk_at = h.assigned_at + (h.due_at - h.assigned_at) * (s.at_risk_percent / 100.0)
  FROM sales_settings s;
ALTER TABLE sales_handoff ALTER COLUMN at_risk_at SET NOT NULL;
