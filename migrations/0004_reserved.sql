-- Reserved: migration 0004 belongs to another part of issue #8 (whiteboards / drive files), which
-- had not landed when 0005 (snapshots) did; without this file the loader refuses the gap and no
-- inventory opens. Whoever lands the real 0004: replace this file with yours (same number). Only
-- throwaway development inventories can have recorded this no-op as version 4.
SELECT 1;
