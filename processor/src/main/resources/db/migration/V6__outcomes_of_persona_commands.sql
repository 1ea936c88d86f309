-- A persona's retirement (RetirePersona) succeeds with no number to show: neither result nor errors. Every other
-- command keeps exactly one of the two. succeeded still says which: no errors.
alter table command_outcomes drop constraint command_outcomes_result_or_errors;
alter table command_outcomes add constraint command_outcomes_result_or_errors
    check (succeeded = (errors is null)
           and (result is null or errors is null)
           and (result is not null or errors is not null or command_type = 'RetirePersona'));
