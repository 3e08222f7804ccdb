/**
 * Every problem found in a configuration, each a sentence that says what is wrong and how to fix
 * it, so a user fixes them all in one go. Never carries a secret's value.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly code = 'CONFIG_INVALID';
  readonly problems: string[];

  constructor(problems: string[], source?: string) {
    const where = source ? ` in ${source}` : '';
    const n = problems.length;
    super(
      `The configuration${where} has ${n} problem${n === 1 ? '' : 's'}:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
    this.problems = problems;
  }
}
