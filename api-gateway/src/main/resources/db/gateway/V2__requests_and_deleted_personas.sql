-- A request the gateway turned into commands and answered 202: GET /v1/requests/{id} answers it as the
-- synchronous request would have, from the outcomes of its commands (in this order) once all are recorded.
create table requests (
    id          uuid        primary key,
    org_id      uuid        not null,
    kind        text        not null,
    persona_id  uuid,
    command_ids uuid[]      not null,
    created_at  timestamptz not null default now()
);

-- A deleted persona keeps its row, marked: it is gone for every request at once (an attach to it is refused),
-- and the sweeper detaches any number still attached to it, a force-delete's or one a concurrent attach
-- brought in after the delete looked.
alter table personas add column deleted_at timestamptz;
create index personas_deleted on personas (id) where deleted_at is not null;
