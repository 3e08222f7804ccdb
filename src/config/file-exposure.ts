import { readFileSync, statSync } from 'node:fs';

/**
 * A config file that holds the app secret and that other users may read leaks the secret on a
 * shared machine. Returns the warning to show, or undefined (no secret in the file, owner-only
 * permissions, or a platform without POSIX modes).
 */
export function exposedSecretWarning(
  file: string,
  platform: NodeJS.Platform = process.platform,
): string | undefined {
  if (platform === 'win32') return undefined;
  let mode: number;
  let holdsSecret: boolean;
  try {
    mode = statSync(file).mode & 0o777;
    if ((mode & 0o077) === 0) return undefined;
    const parsed = JSON.parse(readFileSync(file, 'utf8').replace(/^\uFEFF/, '')) as { appSecret?: unknown };
    holdsSecret = typeof parsed?.appSecret === 'string' && parsed.appSecret.length > 0;
  } catch {
    return undefined;
  }
  if (!holdsSecret) return undefined;
  return (
    `${file} holds the app secret and is readable by other users (mode ${mode.toString(8).padStart(3, '0')}): ` +
    `run \`chmod 600 ${file}\`, or move the secret to the FEISHU_APP_SECRET environment variable.`
  );
}
