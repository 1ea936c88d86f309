-- A command id is only known to the task of its number's partition (the dedup store is partitioned like
-- the log). A producer that reuses an id for numbers in two partitions gets both commands processed, and
-- with command_id alone as the key the row kept would depend on which partition committed first: a
-- replay, reading partitions in another interleaving, could keep the other one. Keying by the number too
-- makes every processed command a row of its own, whatever the interleaving.
alter table command_outcomes drop constraint command_outcomes_pkey;
alter table command_outcomes add primary key (command_id, phone_number);
