import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { kindWord, splitKinds } from '../../inventory/document-names.js';
import { readStatus, type StatusReport } from '../../inventory/status.js';
import { ExitCode } from '../exit-codes.js';
import { failingDocumentLines } from '../failure-documents.js';
import { counted, formatBytes, formatCount, wrapText } from '../format.js';
import { examplesText } from '../help.js';
import { locateInventory, openExistingInventory } from '../inventory-access.js';
import { readLoginStatus, renderLoginStatus } from '../login-status.js';
import { sizeDifferenceLines, unbackableLines } from '../not-backed-up.js';
import { type GlobalArgs, globalOptions } from '../options.js';
import { runCommand } from '../runner.js';
import { newVersionsText } from '../summary.js';
import { readTargetStatus, targetLines } from '../target-status.js';
import { todayIn } from '../today.js';

export const statusCommand: CommandModule<object, GlobalArgs> = {
  command: 'status',
  describe:
    'Show what the inventory holds: documents, media by state, quota used today, last runs, top failures',
  builder: (y: Argv) =>
    globalOptions(y).epilogue(
      examplesText([
        ['With ./feishu-backup.json in this folder', 'status'],
        ['With the config elsewhere', 'status --config /etc/feishu-backup.json'],
        ['For a script', 'status --json | jq .media'],
      ]),
    ),
  handler: (args: ArgumentsCamelCase<GlobalArgs>) =>
    runCommand(args, async (output) => {
      const place = locateInventory(args);
      const db = openExistingInventory(place.database, true);
      try {
        const tz = place.config?.limits.dayBoundaryTimeZone ?? 'Asia/Shanghai';
        const now = Date.now();
        const options: Parameters<typeof readStatus>[1] = { day: todayIn(tz, now), now, timeZone: tz };
        if (place.config) options.dailyLimit = place.config.limits.downloadsPerDay;
        const report = readStatus(db, options);
        const login = place.config ? readLoginStatus(place.config) : undefined;
        const target = place.config?.target;
        const uploads = target ? readTargetStatus(db, target) : undefined;
        const fields = {
          database: place.database,
          outputDir: place.outputDir,
          timeZone: tz,
          ...report,
          login,
          ...(target ? { target, uploads } : {}),
        };
        output.resultEvent('status', 'inventory status', fields);
        output.result(renderStatus(report, place.database, place.outputDir, tz, target?.keepLocal !== false));
        if (target && uploads) output.result(targetLines(target, uploads).join('\n'));
        if (login) output.result(renderLoginStatus(login));
        if (login?.warning && login.signedIn) output.warn('auth.expiring', login.warning);
        return ExitCode.ok;
      } finally {
        db.close();
      }
    }),
};

export function renderStatus(
  r: StatusReport,
  database: string,
  outputDir: string,
  tz: string,
  /** keepLocal false: the files' bytes are in the bucket, not on disk. @default true */
  keptLocally = true,
): string {
  const lines: string[] = [];
  // Documents are documents; folders, wiki pages and base tables are counted apart, in people's words.
  const kinds = splitKinds(r.documents.byType);
  const byType = kinds.documentKinds
    .map(([t, n]) => `${formatCount(n)} ${kindWord(t, n).toLowerCase()}`)
    .join(', ');
  const others = kinds.otherKinds.map(([t, n]) => `${formatCount(n)} ${kindWord(t, n).toLowerCase()}`);
  const docNotes = [
    r.documents.byStatus.error ? `${formatCount(r.documents.byStatus.error)} with errors` : '',
    r.documents.byStatus.gone ? `${formatCount(r.documents.byStatus.gone)} gone from Feishu` : '',
  ].filter(Boolean);
  const docNotesText = docNotes.length ? ` (${docNotes.join(', ')})` : '';
  lines.push(`Inventory  ${database}`);
  lines.push(`Documents  ${formatCount(kinds.documents)}${byType ? `: ${byType}` : ''}${docNotesText}`);
  if (others.length) lines.push(wrapText(`Also       ${others.join(', ')}`, 79, '           '));
  const states = ['done', 'pending', 'partial', 'failed', 'error'];
  const extra = Object.keys(r.media.byStatus).filter((s) => !states.includes(s));
  const media = [...states, ...extra]
    .filter((s) => r.media.byStatus[s])
    .map((s) => `${s} ${formatCount(r.media.byStatus[s]!.count)}`)
    .join(', ');
  lines.push(
    `Media      ${counted(r.media.total.count, 'file')}, ${formatBytes(r.media.total.bytes)} known${media ? `: ${media}` : ''}`,
  );
  const gone = r.media.goneFromFeishu;
  if (gone.count) {
    lines.push(
      `           ${counted(gone.count, 'file')} left out because ${gone.count === 1 ? 'its document is' : 'their documents are'} gone from Feishu`,
    );
  }
  if (r.media.newVersions) {
    lines.push(`           ${newVersionsText(r.media.newVersions)} to fetch (earlier copies are kept)`);
  }
  const adv = r.advancedTables;
  if (adv && adv.server + adv.attachments > 0) {
    lines.push(
      // Learnt only where a first `extra` was refused (ExtraChoice): a table that took the server's
      // form at once is not counted.
      `           extra learnt: ${counted(adv.server, 'table')} server form, ${formatCount(adv.attachments)} documented form`,
    );
  }
  lines.push(
    keptLocally
      ? `On disk    ${formatBytes(r.bytesOnDisk)} in ${outputDir}`
      : `Stored     ${formatBytes(r.bytesOnDisk)} of files, in the bucket (removed from ${outputDir} after upload)`,
  );
  lines.push(
    `Snapshots  ${formatCount(r.snapshots.count)} document revisions, ${formatBytes(r.snapshots.bytes)}`,
  );
  const q = r.quota;
  const limit = q.limit === undefined ? '' : ` of ${formatCount(q.limit)}, ${formatCount(q.left ?? 0)} left`;
  lines.push(`Quota      ${counted(q.used, 'download')} used today${limit} (${q.day}, ${tz})`);
  const drive = r.quotas?.find((u) => u.bucket === 'drive.download');
  const board = r.quotas?.find((u) => u.bucket === 'board.image');
  if (drive && board) {
    const driveLimit =
      drive.limit === undefined
        ? ''
        : ` of ${formatCount(drive.limit)}, ${formatCount(drive.left ?? 0)} left`;
    lines.push(
      `           ${formatCount(drive.used)} drive-file downloads${driveLimit}; ${formatCount(board.used)} whiteboard exports (no daily cap)`,
    );
  }
  lines.push(...fetchPathLines(r));
  lines.push(...skipKeyLines(r));
  if (r.runs.length) {
    lines.push('Last runs');
    for (const run of r.runs) {
      const when = run.startedAt.replace('T', ' ').slice(0, 16);
      const exit = run.exitCode === null ? '' : `  exit ${run.exitCode}`;
      lines.push(
        `  #${String(run.id).padEnd(4)} ${run.command.padEnd(9)} ${when} UTC  ${run.status}${exit}${apiCallsText(run.apiCalls)}`,
      );
    }
  } else {
    lines.push('Last runs  none yet');
  }
  if (r.failures.length) {
    lines.push('Top failure reasons');
    for (const f of r.failures) {
      const code = f.code ? ` (${f.code})` : '';
      // Named documents say more than one raw message; the message stays for reasons with none.
      const example = f.example && !f.documents?.length ? `: ${f.example}` : '';
      lines.push(`  ${formatCount(f.count).padStart(6)} ${f.subject} ${f.kind}${code}${example}`);
      lines.push(...failingDocumentLines(f, '         '));
      if (f.fix) lines.push(wrapText(`         fix: ${f.fix}`, 79, '              '));
    }
  }
  lines.push(...unbackableLines(r.unbackable, (t) => `Not saved  ${t}`));
  lines.push(...sizeDifferenceLines(r.sizeDiffers, (t) => `Sizes      ${t}`));
  return lines.join('\n');
}

/** Full reads: how many documents changed while their skip key did not, each with its document. */
function skipKeyLines(r: StatusReport): string[] {
  const s = r.skipKeyMisses;
  if (!s) return [];
  const last = s.lastFullRead
    ? `last full read ${s.lastFullRead.replace('T', ' ').slice(0, 16)} UTC`
    : 'no full read yet';
  if (s.total === 0) return [`Skip keys  no document changed under an unchanged key (${last})`];
  const lines = [
    `Skip keys  ${formatCount(s.total)} document${s.total === 1 ? '' : 's'} changed while the skip key did not (${last}); please report it:`,
  ];
  for (const m of s.misses) {
    lines.push(
      `  ${m.type} ${m.title ?? m.token} (${m.token}): key ${m.skipKey}, +${m.refsNew}/-${m.refsGone} media references, +${m.childrenNew}/-${m.childrenGone} documents${m.contentChanged ? ', content differs' : ''}, run #${m.runId}`,
    );
  }
  return lines;
}

/** A run's API calls, crawl and download apart (what the free plan's monthly quota counts). */
function apiCallsText(calls: { crawl: number | null; download: number | null } | undefined): string {
  if (!calls || (calls.crawl === null && calls.download === null)) return '';
  const parts = [];
  if (calls.crawl !== null) parts.push(`crawl ${formatCount(calls.crawl)}`);
  if (calls.download !== null) parts.push(`download ${formatCount(calls.download)}`);
  return `  API calls: ${parts.join(', ')}`;
}

/**
 * Today's media per fetch path, once temporary URLs were used at all (download.via): whether Feishu
 * meters them is not documented, so these lines are how a real tenant tells (README, "Past 10,000 a day").
 */
function fetchPathLines(r: StatusReport): string[] {
  const tmp = r.fetchPaths?.find((p) => p.via === 'tmp-url');
  const direct = r.fetchPaths?.find((p) => p.via === 'direct');
  if (!tmp || !direct || (tmp.requests === 0 && (tmp.batchCalls ?? 0) === 0)) return [];
  const stopped = [
    ...(direct.stoppedToday ? ['direct (day spent)'] : []),
    ...(tmp.stoppedToday ? ['temporary URLs (Feishu kept refusing them)'] : []),
  ];
  return [
    `Paths      media today: direct ${counted(direct.files, 'file')}, ${formatBytes(direct.bytes)}, ${counted(direct.requests, 'request')};`,
    `           temporary URLs ${counted(tmp.files, 'file')}, ${formatBytes(tmp.bytes)}, ${counted(tmp.requests, 'fetch', 'fetches')}, ${counted(tmp.batchCalls ?? 0, 'batch call')}`,
    ...(stopped.length ? [`           stopped for today: ${stopped.join(', ')}`] : []),
  ];
}
