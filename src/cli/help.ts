import type { Argv } from 'yargs';
import { didYouMean } from '../config/did-you-mean.js';
import { GLOBAL_FLAGS } from './options.js';

/**
 * Examples the way rclone and restic print them: what it does on one line, the whole command
 * indented under it, never split across two columns (yargs' two-column example layout broke long
 * commands mid-word at 80 columns). Printed as the help's epilogue, after the flags.
 */
export function examplesText(list: readonly (readonly [what: string, command: string])[]): string {
  const lines = ['Examples:'];
  for (const [what, command] of list) {
    if (what) lines.push(`  ${what}:`);
    lines.push(`    feishu-backup ${command}`);
  }
  return lines.join('\n');
}

export function examples<T>(
  y: Argv<T>,
  list: readonly (readonly [what: string, command: string])[],
  after?: string,
): Argv<T> {
  return y.epilogue(after ? `${examplesText(list)}\n\n${after}` : examplesText(list));
}

/** Every long flag of every command: a misspelt flag is usually one of these. */
export const ALL_FLAGS = [
  ...GLOBAL_FLAGS,
  'dry-run',
  'max-downloads',
  'max-bytes',
  'max-duration',
  'concurrency',
  'retry-failed',
  'full',
  'record-shapes',
  'out',
  'print',
  'force',
  'check',
  'format',
  'repair',
  'help',
  'version',
] as const;

/** "did you mean --config?" for a misspelt flag (`--confg`), from the flags the command knows. */
export function unknownFlagHint(message: string, known: readonly string[]): string | undefined {
  const m = /^Unknown arguments?: (.+)$/.exec(message);
  if (!m) return undefined;
  const hints = m[1]!
    .split(', ')
    .map((arg) => {
      const hint = didYouMean(arg, known);
      return hint ? `--${arg}: did you mean --${hint}?` : undefined;
    })
    .filter(Boolean);
  return hints.length ? hints.join('\n') : undefined;
}
