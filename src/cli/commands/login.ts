import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { ExitCode } from '../exit-codes.js';
import { loadCliConfig } from '../inventory-access.js';
import { type GlobalArgs, globalOptions } from '../options.js';
import { runCommand } from '../runner.js';

interface LoginArgs extends GlobalArgs {
  device: boolean;
  port?: number;
  browser: boolean;
}

export const loginCommand: CommandModule<object, LoginArgs> = {
  command: 'login',
  describe: 'Sign in as yourself (OAuth), so "auth": "user" backs up what you can see: My Space, your wikis',
  builder: (y: Argv) =>
    globalOptions(y)
      .option('device', {
        type: 'boolean',
        default: false,
        describe: 'Sign in with a code on another device (no browser here; not in the public docs)',
      })
      .option('port', {
        type: 'number',
        describe: 'Port of the redirect URL http://127.0.0.1:<port>/callback registered in the console',
      })
      .option('browser', {
        type: 'boolean',
        default: true,
        describe: 'Open the sign-in page in a browser (--no-browser only prints the link)',
      })
      .example('$0 login --config backup.json', '')
      .example('$0 login --device --config backup.json', '') as unknown as Argv<LoginArgs>,
  handler: (args: ArgumentsCamelCase<LoginArgs>) =>
    runCommand(args, async (output) => {
      const config = loadCliConfig(args);
      const { runLogin } = await import('../login-run.js');
      await runLogin(config, args, output);
      return ExitCode.ok;
    }),
};

export const logoutCommand: CommandModule<object, GlobalArgs> = {
  command: 'logout',
  describe: 'Forget the saved Feishu login of this config (the backup itself is not touched)',
  builder: (y: Argv) => globalOptions(y).example('$0 logout --config backup.json', ''),
  handler: (args: ArgumentsCamelCase<GlobalArgs>) =>
    runCommand(args, async (output) => {
      const config = loadCliConfig(args, process.env, true);
      const { forgetLogin } = await import('../../auth/store.js');
      const { loginPathFor } = await import('../../auth/token-file.js');
      const file = loginPathFor(config.database);
      const existed = forgetLogin(file);
      output.resultEvent('auth.logout', 'logged out', { file, existed });
      output.result(
        existed
          ? `Signed out: deleted ${file}. To also withdraw the app's access, remove it under Feishu settings > Privacy > Authorized apps.`
          : `No saved login for this config (${file}).`,
      );
      return ExitCode.ok;
    }),
};
