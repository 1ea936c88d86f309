-- A deleted persona is retired once every partition of the commands topic has processed its RetirePersona (which
-- detaches the numbers attached to it there and refuses later attaches). Until then the sweeper sends the missing
-- ones again; personas deleted before this column existed are retired the same way, by the first sweep.
alter table personas add column retired_at timestamptz;
create index personas_unretired on personas (deleted_at) where deleted_at is not null and retired_at is null;
