// Preloaded into a CLI child (`node --import`) by download-loads.test.ts: appends the URL of every
// module the program imports, a tab and the URL of the module that imported it (empty for an entry
// point: the bin, a worker thread's script), to the file named by RECORD_MODULES, one a line. The
// resolve hook runs on the loader's thread, which shares the environment, and sees worker threads'
// imports too.
import { register } from 'node:module';

register(
  `data:text/javascript,${encodeURIComponent(`
import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  if (process.env.RECORD_MODULES) appendFileSync(process.env.RECORD_MODULES, r.url + '\\t' + (context.parentURL ?? '') + '\\n');
  return r;
}`)}`,
);
