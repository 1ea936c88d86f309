-- The gateway's own tables. It reads the processor's inbound_numbers and command_outcomes, never writes them.
create table orgs (
    id         uuid        primary key,
    name       text        not null,
    created_at timestamptz not null default now()
);

-- API keys are stored only as SHA-256 hashes; the key itself is shown once, when it is created.
create table api_keys (
    id         uuid        primary key,
    org_id     uuid        not null references orgs (id),
    key_hash   text        not null unique,
    created_at timestamptz not null default now()
);

create table personas (
    id          uuid        primary key,
    org_id      uuid        not null references orgs (id),
    name        text        not null,
    description text,
    created_at  timestamptz not null,
    updated_at  timestamptz not null
);
create index personas_by_org on personas (org_id, created_at, id);

-- Commands answered with 202: GET /v1/commands/{id} reports them pending until their outcome is recorded.
create table accepted_commands (
    command_id uuid        primary key,
    org_id     uuid        not null,
    created_at timestamptz not null default now()
);

-- Numeric ids of inbound numbers, drawn by the operator when a number is provisioned and carried in the
-- command; the processor never draws ids, so replaying the command log gives the same ids.
create sequence inbound_number_ids;
