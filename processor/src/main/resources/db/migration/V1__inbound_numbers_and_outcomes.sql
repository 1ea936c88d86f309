-- The current state of every provisioned number. Written only by the processor, from the state its
-- task holds; replaying the command log into an empty database rebuilds it row for row.
create table inbound_numbers (
    phone_number     text        primary key,               -- E.164
    id               bigint      not null,                  -- given when provisioned, never from a sequence
    org_id           text        not null,
    label            text,
    persona_id       text,
    persona_settings jsonb,                                  -- null: the persona's defaults apply
    updated_at       timestamptz not null,                  -- issued_at of the last command that changed it
    source_offset    bigint      not null                   -- that command's offset in the command log
);
-- A number's commands all sit in one partition, so source_offset only grows: a write carrying an older
-- offset (a stale writer after a partition moved, a replayed batch) never overwrites a newer state.
-- No unique constraint on id: numbers live in different partitions whose batches commit in any order,
-- so a constraint across numbers could reject a valid batch forever. Operators own id uniqueness.
create index inbound_numbers_by_id on inbound_numbers (id);
create index inbound_numbers_by_persona on inbound_numbers (org_id, persona_id);

-- One row per processed command id: the audit trail, and the idempotency record (a command seen again
-- inserts nothing).
create table command_outcomes (
    command_id       uuid        primary key,
    phone_number     text        not null,
    org_id           text        not null,
    command_type     text        not null,                  -- UpdatePersonaSettings, AttachToPersona, ...
    actor            text        not null,
    issued_at        timestamptz not null,
    command          jsonb       not null,                  -- the payload's fields
    source_partition int         not null,                  -- where the command sits in the command log
    source_offset    bigint      not null,
    succeeded        boolean     not null,
    outcome          jsonb       not null                   -- the {data, errors} envelope
);
-- A number's history, in processing order: its commands all sit in one partition, so the offset orders them.
create index command_outcomes_by_number on command_outcomes (phone_number, source_offset desc);
