-- Each Idempotency-Key an org sends names one request: the fingerprint of the first (SHA-256 of its method,
-- normalised path and canonical body) is kept, and the key sent again with a different fingerprint is refused
-- (422 IDEMPOTENCY_KEY_REUSED) instead of being answered with the first request's outcome. Kept as long as the
-- command ids derived from the key are (the processor recognises those for ever).
create table idempotency_keys (
    org_id      uuid        not null,
    key         text        not null,
    fingerprint text        not null,
    created_at  timestamptz not null default now(),
    primary key (org_id, key)
);
