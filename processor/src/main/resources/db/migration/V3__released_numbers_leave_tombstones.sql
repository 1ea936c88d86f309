-- A released number used to be deleted, and its source_offset guard with it: an older write arriving later (a
-- stale instance after its partition moved, a batch processed again with other boundaries) could insert the
-- number again. A release now leaves a tombstone: the row stays, marked released, with the offset of the
-- release; everything else about the number is gone (null). Reads ignore tombstones.
alter table inbound_numbers add column released boolean not null default false;
alter table inbound_numbers alter column id drop not null;
alter table inbound_numbers alter column org_id drop not null;
alter table inbound_numbers add constraint inbound_numbers_live_rows_are_complete
    check (released or (id is not null and org_id is not null));

-- Numbers released before this migration get the tombstone a replay of the command log would write for them:
-- the last successful release of a number that has no row now (a number provisioned again has a newer row).
insert into inbound_numbers (phone_number, updated_at, source_offset, released)
select distinct on (phone_number) phone_number, issued_at, source_offset, true
from command_outcomes o
where command_type = 'ReleaseNumber' and succeeded
  and not exists (select 1 from inbound_numbers n where n.phone_number = o.phone_number)
order by phone_number, source_offset desc;
