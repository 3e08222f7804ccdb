/**
 * The example values `init` and config.example.json ship with. A config that still holds one would
 * otherwise run with it: the example App ID fails as "wrong credentials", an example root as
 * "deleted or moved", far from the line to edit. Caught at load time instead, with the fix.
 */
export const EXAMPLE_APP_ID = 'cli_a1b2c3d4e5f6';
export const EXAMPLE_APP_SECRET = 'replace-me';
/** The tokens of config.example.json's roots (and the README's shorter ones, via the example host). */
const EXAMPLE_TOKENS = [
  'fldcnAbCdEfGhIjKlMnOpQrStUv',
  '7034502641455497244',
  'doxcnAbCdEfGhIjKlMnOpQrStUv',
  'bascnAbCdEfGhIjKlMnOpQrStUv',
];
const EXAMPLE_HOSTS = /^https?:\/\/example\.(feishu\.cn|larksuite\.com)\//i;

/** Adds one problem per example value still in `merged` (file, env and flags already merged). */
export function placeholderProblems(merged: Record<string, unknown>, problems: string[]): void {
  if (merged.appId === EXAMPLE_APP_ID) {
    problems.push(
      `appId: "${EXAMPLE_APP_ID}" is the example written by init; replace the example with your app's App ID (developer console, cli_…), or set FEISHU_APP_ID`,
    );
  }
  if (merged.appSecret === EXAMPLE_APP_SECRET) {
    problems.push(
      'appSecret: still the example value; replace the example with your App Secret, or better remove "appSecret" and set FEISHU_APP_SECRET',
    );
  }
  if (!Array.isArray(merged.roots)) return;
  merged.roots.forEach((root, i) => {
    if (isExampleRoot(root)) {
      problems.push(
        `roots[${i}]: an example root written by init; replace the example roots with your own (a folder, wiki space or document URL copied from the browser)`,
      );
    }
  });
}

function isExampleRoot(root: unknown): boolean {
  if (!root || typeof root !== 'object') return false;
  return Object.values(root).some(
    (v) => typeof v === 'string' && (EXAMPLE_TOKENS.includes(v) || EXAMPLE_HOSTS.test(v)),
  );
}
