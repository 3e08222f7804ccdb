/**
 * The last line of defence for secrets: every byte the CLI writes (logs, --json events, errors,
 * stack traces, progress) passes through one Redactor. Known values (app secret, user tokens from the
 * config) are replaced wherever they appear; token-shaped strings we never saw (a tenant token the
 * SDK echoed into an error) are caught by pattern.
 */
const MASK = '[REDACTED]';

const PATTERNS: RegExp[] = [
  // Authorization headers, whatever the token.
  /(\bBearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi,
  // Feishu tenant / user / app access tokens: t-..., u-..., a-... followed by a long opaque value.
  /\b([tua]-)[A-Za-z0-9._-]{20,}/g,
  // JSON or query fields that carry secrets, in any quoting.
  // Not the words a config problem puts there ("appSecret: missing; set …"): they hold no secret.
  /((?:app_secret|appSecret|tenant_access_token|user_access_token|access_token|refresh_token|userAccessToken)["']?\s*[:=]\s*["']?)(?!(?:missing|invalid|empty|still)\b)[^"'&\s,}]+/gi,
];

export class Redactor {
  readonly #secrets = new Set<string>();

  /** Adds values to mask. Values shorter than 6 characters are ignored: masking "ab" would mangle output. */
  add(...values: (string | undefined | null)[]): this {
    for (const v of values) if (typeof v === 'string' && v.length >= 6) this.#secrets.add(v);
    return this;
  }

  redact(text: string): string {
    let out = text;
    for (const secret of this.#secrets) {
      if (out.includes(secret)) out = out.split(secret).join(MASK);
      // URL-encoded forms show up in request dumps.
      const encoded = encodeURIComponent(secret);
      if (encoded !== secret && out.includes(encoded)) out = out.split(encoded).join(MASK);
    }
    for (const re of PATTERNS) out = out.replace(re, `$1${MASK}`);
    return out;
  }

  /** Redacts every string inside a JSON-able value (for --json events). */
  redactValue<T>(value: T): T {
    return JSON.parse(this.redact(JSON.stringify(value, jsonReplacer))) as T;
  }
}

function jsonReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Error) {
    const out: Record<string, unknown> = { name: value.name, message: value.message };
    const code = (value as { code?: unknown }).code;
    if (code !== undefined) out.code = code;
    return out;
  }
  if (typeof value === 'bigint') return Number(value);
  return value;
}

/** The process-wide redactor every output path uses. */
export const redactor = new Redactor();

let installed = false;

/**
 * Wraps process.stdout/stderr.write so nothing reaches the terminal unredacted, including what a
 * library (cli-progress, yargs, Node's own uncaught-error printer) writes directly.
 */
export function installStreamRedaction(): void {
  if (installed) return;
  installed = true;
  for (const stream of [process.stdout, process.stderr]) {
    const original = stream.write.bind(stream) as (...args: unknown[]) => boolean;
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      const text =
        typeof chunk === 'string'
          ? chunk
          : chunk instanceof Uint8Array
            ? Buffer.from(chunk).toString('utf8')
            : chunk;
      return original(typeof text === 'string' ? redactor.redact(text) : text, ...rest);
    }) as typeof stream.write;
  }
}
