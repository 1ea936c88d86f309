-- API keys get a lifecycle: a label to tell them apart, an optional expiry, and revocation. A revoked or expired
-- key stays (its row says when and by whom it was used: the actor of every command it sent is its id) but no
-- longer authenticates; gateways notice within GATEWAY_KEY_CHECK_MS.
alter table api_keys
    add column label      text,
    add column expires_at timestamptz,
    add column revoked_at timestamptz;
