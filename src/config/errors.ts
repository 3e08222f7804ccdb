/**
 * Every problem found in a configuration, each a sentence that says what is wrong and how to fix
 * it, so a user fixes them all in one go. Never carries a secret's value.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly code = 'CONFIG_INVALID';
  readonly problems: string[];

  /** `source`: the file read; `note`: said instead when there was none (e.g. no config file was found). */
  constructor(problems: string[], source?: string, note?: string) {
    const where = source ? ` in ${source}` : note ? ` (${note})` : '';
    const n = problems.length;
    super(
      `The configuration${where} has ${n} problem${n === 1 ? '' : 's'}:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
    this.problems = problems;
  }
}
