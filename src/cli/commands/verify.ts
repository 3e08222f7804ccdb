import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { describeTarget } from '../../config/target-naming.js';
import type { Config } from '../../config/types.js';
import type { Db } from '../../inventory/open.js';
import type { ObjectCheck } from '../../target/verify-objects.js';
import { ExitCode } from '../exit-codes.js';
import { counted, formatBytes, formatCount } from '../format.js';
import { examplesText } from '../help.js';
import { locateInventory, openExistingInventory } from '../inventory-access.js';
import { type GlobalArgs, globalOptions } from '../options.js';
import type { Output } from '../output.js';
import { runCommand } from '../runner.js';
import { withSession } from '../session.js';

interface VerifyArgs extends GlobalArgs {
  repair: boolean;
  deep: boolean;
}

export const verifyCommand: CommandModule<object, VerifyArgs> = {
  command: 'verify',
  describe: 'Re-hash every downloaded file against the inventory; report missing and corrupt files',
  builder: (y: Argv) =>
    globalOptions(y)
      .option('repair', {
        type: 'boolean',
        default: false,
        describe:
          'Queue missing and corrupt files for download again (the next backup/download fetches them)',
      })
      .option('deep', {
        type: 'boolean',
        default: false,
        describe:
          'With a target bucket: download every uploaded object and re-hash it, instead of a HEAD per object',
      })
      .epilogue(
        examplesText([
          ['Re-hash every file on disk against the inventory', 'verify'],
          ['Queue missing and corrupt files again, then fetch them', 'verify --repair'],
          ['Also download and re-hash every object in the bucket', 'verify --deep'],
          ['', 'download'],
        ]),
      ) as unknown as Argv<VerifyArgs>,
  handler: (args: ArgumentsCamelCase<VerifyArgs>) =>
    runCommand(args, (output) =>
      // Verify needs no credentials: --database or --output-dir alone is enough.
      withSession(
        'verify',
        output,
        () => existingPlace(args),
        async (s) => {
          // Loaded here, not at start-up: every other command (a download above all) goes without it.
          const { verifyFiles } = await import('../../inventory/verify.js');
          const progress = output.startProgress();
          progress.update({ phase: 'verify' });
          const target = s.config?.target;
          // keepLocal false: objects first, so a file missing from the bucket is then looked for on disk.
          const early =
            target && !target.keepLocal
              ? await verifyBucket(target, s.db, s.signals.signal, args.deep, output)
              : undefined;
          const summary = await verifyFiles({
            ...(target && !target.keepLocal
              ? { inBucket: { bucket: target.bucket, prefix: target.prefix } }
              : {}),
            db: s.db,
            outputDir: s.outputDir,
            repair: args.repair,
            signal: s.signals.signal,
            log: output.log,
            onProgress: (p) =>
              progress.update({ filesDone: p.checked, filesTotal: p.total, bytesDone: p.bytesHashed }),
          });
          output.stopProgress();
          const objects = early ?? (await verifyBucket(target, s.db, s.signals.signal, args.deep, output));
          const { findings, ...counts } = summary;
          const exitCode =
            summary.interrupted || objects?.interrupted
              ? ExitCode.interrupted
              : summary.missing + summary.corrupt > 0 || (objects?.findings.length ?? 0) > 0
                ? ExitCode.partial
                : ExitCode.ok;
          output.resultEvent('verify.summary', 'verify finished', { ...counts, findings, objects, exitCode });
          const lines = [
            `Verified ${counted(summary.checked, 'file')} (${formatBytes(summary.bytesHashed)} hashed): ` +
              `${formatCount(summary.ok)} ok, ${formatCount(summary.missing)} missing, ${formatCount(summary.corrupt)} corrupt.` +
              (summary.inBucket
                ? ` ${formatCount(summary.inBucket)} more are only in the bucket (keepLocal false): checked there.`
                : ''),
          ];
          for (const f of findings.slice(0, 20))
            lines.push(`  ${f.problem.padEnd(7)} ${f.path} (${f.detail})`);
          if (findings.length > 20) lines.push(`  ... and ${findings.length - 20} more (see --json)`);
          if (findings.length && args.repair) {
            lines.push(
              `Queued ${counted(summary.requeued, 'file')} for download again: run \`feishu-backup download\` to fetch them.`,
            );
            if (summary.requeuedGone)
              lines.push(
                `${formatCount(summary.requeuedGone)} of them will not be fetched while their documents are gone from Feishu.`,
              );
          } else if (findings.length) {
            lines.push('Run `feishu-backup verify --repair` to queue them for download again.');
          }
          if (summary.interrupted) lines.push('Interrupted: not every file was checked.');
          if (objects && s.config?.target)
            lines.push(...objectLines(objects, describeTarget(s.config.target)));
          output.result(lines.join('\n'));
          return { exitCode, summary: { ...counts, findings: findings.slice(0, 100), objects } };
        },
      ),
    ),
};

/**
 * With a target: HEAD every object the inventory records as uploaded, or with `--deep` download and
 * re-hash each (README "Object storage").
 */
async function verifyBucket(
  target: Config['target'],
  db: Db,
  signal: AbortSignal,
  deep: boolean,
  output: Output,
): Promise<ObjectCheck | undefined> {
  if (!target) return undefined;
  // The AWS SDK only when a target is configured (see upload-step.ts).
  const [{ checkBucket, makeS3Client }, { verifyObjects }] = await Promise.all([
    import('../../target/s3-client.js'),
    import('../../target/verify-objects.js'),
  ]);
  const client = makeS3Client(target);
  await checkBucket(client, target);
  const progress = output.startProgress();
  progress.update({ phase: deep ? 'verify --deep' : 'verify objects' });
  try {
    return await verifyObjects({
      client,
      db,
      target,
      deep,
      signal,
      onProgress: (p) =>
        progress.update({ filesDone: p.checked, filesTotal: p.total, bytesDone: p.bytesHashed }),
    });
  } finally {
    output.stopProgress();
  }
}

function objectLines(c: ObjectCheck, where: string): string[] {
  const lines = [
    c.mode === 'deep'
      ? `Downloaded and re-hashed ${counted(c.checked, 'object')} (${formatBytes(c.bytesHashed)}) from ${where}: ${formatCount(c.ok)} ok, ${formatCount(c.findings.length)} missing, different or corrupt.`
      : `Checked ${counted(c.checked, 'object')} in ${where} by HEAD: ${formatCount(c.ok)} ok, ${formatCount(c.findings.length)} missing or different.`,
  ];
  for (const f of c.findings.slice(0, 20)) lines.push(`  ${f.problem.padEnd(7)} ${f.key} (${f.detail})`);
  if (c.findings.length > 20) lines.push(`  ... and ${c.findings.length - 20} more (see --json)`);
  if (c.findings.length) lines.push('The next `feishu-backup backup` or `download` uploads them again.');
  if (c.interrupted) lines.push('Interrupted: not every object was checked.');
  if (c.mode === 'head' && !c.findings.length && c.checked)
    lines.push('`verify --deep` downloads each object and re-hashes its bytes.');
  return lines;
}

/** Where to verify: an inventory that exists (verify must not create an empty one and report "all ok"). */
function existingPlace(args: GlobalArgs): ReturnType<typeof locateInventory> {
  const place = locateInventory(args);
  openExistingInventory(place.database, true).close();
  return place;
}
