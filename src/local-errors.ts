/**
 * Local failures that no retry will fix and that would fail every other file too: stop the run.
 * (A failed request is the server's business; a full disk or a read-only output dir is ours.)
 */
const FATAL_CODES = new Set([
  'ENOSPC',
  'EDQUOT',
  'EFBIG',
  'EACCES',
  'EPERM',
  'EROFS',
  'EMFILE',
  'ENFILE',
  'EIO',
  'ENOTDIR',
]);

export class LocalFatalError extends Error {
  override readonly name = 'LocalFatalError';
  readonly code: string;
  constructor(message: string, code: string, cause: unknown) {
    super(message, { cause });
    this.code = code;
  }
}

/** A LocalFatalError for a file-system error that should stop the run, else undefined. */
export function asLocalFatal(e: unknown, where: string): LocalFatalError | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  const syscall = (e as { syscall?: unknown } | null)?.syscall;
  if (typeof code !== 'string' || typeof syscall !== 'string' || !FATAL_CODES.has(code)) return undefined;
  const hint =
    code === 'ENOSPC' || code === 'EDQUOT'
      ? 'the disk is full: free space or choose another output directory, then run again (downloads resume)'
      : code === 'EFBIG'
        ? 'the file is larger than this file system or the process file-size limit (ulimit -f) allows: raise the limit or choose another output directory, then run again (downloads resume)'
        : code === 'EMFILE' || code === 'ENFILE'
          ? 'too many open files: lower the download concurrency or raise the open-file limit'
          : 'the output directory is not writable: fix its permissions or choose another one';
  return new LocalFatalError(`Cannot write ${where} (${code}): ${hint}.`, code, e);
}
