-- Org ids are one type everywhere: uuid, as the gateway's tables (orgs, api_keys, personas, accepted_commands) have
-- always held them. The processor's columns held the same ids as text; they become uuid with their data.
--
-- Only the canonical lower-case form converts: it is what the gateway has always written, what the processor now
-- accepts (FieldRules.lowerCaseUuid), and what a uuid reads back as, so the processor's state store, which keeps
-- org ids as the commands spelled them, still agrees with the table. Any other value stops the migration here with
-- the count (rather than a cast error half-way): correct or delete those rows, then start the processor again.
do $$
declare
    canonical constant text := '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';
    numbers  bigint;
    outcomes bigint;
begin
    select count(*) into numbers from inbound_numbers where org_id !~ canonical;      -- tombstones (null) pass
    select count(*) into outcomes from command_outcomes where org_id !~ canonical;
    if numbers + outcomes > 0 then
        raise exception 'org_id cannot become uuid: % rows of inbound_numbers and % rows of command_outcomes hold an org_id that is not a lower-case UUID (find them with: where org_id !~ ''%''); correct or delete them, then migrate again',
            numbers, outcomes, canonical;
    end if;
end $$;

alter table inbound_numbers alter column org_id type uuid using org_id::uuid;

-- A command refused because its org_id is not a UUID is still recorded (the audit trail keeps every command), with
-- a null org: the command log keeps the value it had.
alter table command_outcomes alter column org_id drop not null;
alter table command_outcomes alter column org_id type uuid using org_id::uuid;
