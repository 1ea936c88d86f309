-- An outcome is stored in the contract's form (CommandOutcome), no longer as Bland's HTTP envelope.
--
-- command_outcomes.outcome held {"data": {id, phone_number, persona_id, persona_settings, updated_at}, "errors": ...},
-- the body the gateway answers with. That is a rendering, and it drops what the processor decided about the number's
-- org and label: reading a repeat's first outcome back took a subquery for the label. Two columns replace it:
--   result  the number after the command, in InboundNumber's field names: {id, phone_number, org_id, label,
--           persona_id, persona_settings, updated_at}; persona_settings holds only the fields that are set (or is
--           null), updated_at is ISO 8601 in UTC with milliseconds (2026-01-01T00:00:00.000Z). Null on failure.
--   errors  the ApiErrors, [{"error": code, "message": text}]. Null on success.
-- The gateway renders Bland's envelope from these (Answers), the same way it renders a reply from Kafka.

-- Old rows whose envelope does not say what succeeded says (success: data is an object and errors null; failure:
-- errors is an array and data null) cannot be moved over faithfully. The processor never wrote one; should there be
-- any, stop here with their count, before anything changed, rather than half-way on the constraint below.
do $$
declare
    unfit bigint;
begin
    select count(*) into unfit from command_outcomes
    where not coalesce(case when succeeded          -- a missing key is SQL NULL: unfit, not unknown
                            then jsonb_typeof(outcome -> 'data') = 'object'
                                 and coalesce(jsonb_typeof(outcome -> 'errors'), 'null') = 'null'
                            else jsonb_typeof(outcome -> 'errors') = 'array'
                                 and coalesce(jsonb_typeof(outcome -> 'data'), 'null') = 'null'
                       end, false);
    if unfit > 0 then
        raise exception 'command_outcomes.outcome cannot become result and errors: % rows hold an envelope that does not match their succeeded column (a success needs an object in data and errors null, a failure an array in errors and data null); correct or delete them, then migrate again',
            unfit;
    end if;
end $$;

alter table command_outcomes
    add column result jsonb,                                 -- the number after the command; null on failure
    add column errors jsonb;                                 -- [{error, message}]; null on success

-- Existing rows: errors as they were; data with the row's org and, as the label, the one the number was provisioned
-- with: the label of its latest successful ProvisionNumber with the same id at or before this row (what the
-- processor's state held then, and how the processor looked it up until now). The index on (phone_number,
-- source_offset desc) serves the lookup. org_id reads as the lower-case text a command spells it in (V4).
update command_outcomes o set
    result = case when o.succeeded then jsonb_build_object(
                 'id',               o.outcome -> 'data' -> 'id',
                 'phone_number',     o.outcome -> 'data' -> 'phone_number',
                 'org_id',           o.org_id::text,
                 'label',            (select p.command ->> 'label' from command_outcomes p
                                      where p.phone_number = o.phone_number and p.command_type = 'ProvisionNumber'
                                        and p.succeeded
                                        and p.outcome -> 'data' -> 'id' = o.outcome -> 'data' -> 'id'
                                        and p.source_offset <= o.source_offset
                                      order by p.source_offset desc limit 1),
                 'persona_id',       o.outcome -> 'data' -> 'persona_id',
                 'persona_settings', o.outcome -> 'data' -> 'persona_settings',
                 'updated_at',       o.outcome -> 'data' -> 'updated_at')
             end,
    errors = case when not o.succeeded then o.outcome -> 'errors' end;

alter table command_outcomes drop column outcome;

-- Exactly one of the two, and succeeded says which (a domain Outcome has either data or errors).
alter table command_outcomes add constraint command_outcomes_result_or_errors
    check (succeeded = (errors is null) and (result is null) = (errors is not null));
