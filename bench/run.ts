/**
 * `npm run bench`: every benchmark, one after the other (they share two cores badly if run at once).
 * Each writes its own section of BENCHMARKS.md; this prints a one-line record of each for the log.
 */
import { runArchiveBench } from './archive.js';
import { writeBenchmarksSection } from './benchmarks-file.js';
import { runCrawlBench } from './crawl.js';
import { runCrawlLimitsBench } from './crawl-limits.js';
import { runDownloadBench } from './download.js';
import { reportSection, runReportBench } from './report.js';
import { runScaleBench } from './scale.js';
import { runTmpDayBench } from './tmp-day.js';
import { runUploadBench } from './upload.js';

const benches: [string, () => Promise<unknown>][] = [
  ['crawl', () => runCrawlBench({ write: true })],
  ['crawl-limits', () => runCrawlLimitsBench({ write: true })],
  ['download', () => runDownloadBench({ write: true })],
  // After 'download': it writes its own part of the Download section.
  ['tmp-day', () => runTmpDayBench({ write: true })],
  // The longest: 100,000 documents take most of an hour on a busy 2-core machine.
  ['scale', () => runScaleBench({ write: true })],
  ['archive', () => runArchiveBench({ write: true })],
  ['upload', () => runUploadBench({ write: true })],
  [
    'report',
    async () => {
      const result = await runReportBench();
      writeBenchmarksSection(reportSection(result));
      return result;
    },
  ],
];

let failed = false;
for (const [name, run] of benches) {
  const started = Date.now();
  process.stdout.write(`bench ${name}: running...\n`);
  try {
    const result = await run();
    process.stdout.write(
      `bench ${name}: done in ${((Date.now() - started) / 1000).toFixed(1)} s\n${JSON.stringify(result)}\n`,
    );
  } catch (e) {
    failed = true;
    process.stderr.write(
      `bench ${name}: failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
    );
  }
}
process.exitCode = failed ? 1 : 0;
