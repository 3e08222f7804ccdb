import { useTmpUrls } from './lanes.js';
import type { Lane, RunContext } from './run-context.js';

/**
 * `download.via: auto`: once the direct media day is spent, the media lane goes on through temporary
 * URLs instead of stopping; every other spent lane (and a second spend) stops as before.
 */
export function switchWhenSpent(ctx: RunContext, media: Lane): void {
  const spendLane = ctx.spend;
  ctx.spend = (lane, by) => {
    const tmp = ctx.tmp;
    if (tmp?.via === 'auto' && !tmp.switched && lane === media && !lane.spent) {
      useTmpUrls(lane, tmp);
      tmp.directSpentBy = by;
      const u = tmp.directQuota!.usage();
      ctx.log({
        level: 'warn',
        event: 'download.via.tmp_url',
        message: `Today's media.download calls are spent (${u.used}/${u.limit}); media goes on through temporary URLs (download.via: auto).`,
        quota: u,
      });
      return;
    }
    spendLane(lane, by);
  };
}
