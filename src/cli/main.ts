#!/usr/bin/env node
// The ctindex command line: parses argv, dispatches to one command module, and maps errors to the
// documented exit codes (README "Exit codes"). The only caller of process.exit.
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { ConfigError, CtindexError, EXIT, ExitError, KibanaError, RuleLoadError, SinkError, SourceError } from '../errors.js';
import { demoDataCommand } from './commands/demo-data.js';
import { kibanaCommand } from './commands/kibana.js';
import { rulesCommand } from './commands/rules.js';
import { setupCommand } from './commands/setup.js';
import { syncCommand } from './commands/sync.js';
import { unknownFlags } from './unknown-flags.js';

function exitCodeOf(err: unknown): number {
  if (err instanceof ExitError) return err.exitCode;
  if (err instanceof ConfigError) return EXIT.config;
  if (err instanceof SourceError) return EXIT.source;
  if (err instanceof SinkError) return EXIT.sink;
  if (err instanceof RuleLoadError) return EXIT.rules;
  if (err instanceof KibanaError) return EXIT.kibana;
  return EXIT.internal;
}

async function main(argv: string[]): Promise<number> {
  const verbose = argv.includes('--verbose');
  // The AWS SDK warns on every run under Node 20 that releases after January 2027 need Node 22.
  // That is for whoever upgrades dependencies (README: Requirements), not for operators' logs.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  try {
    const parser = yargs(argv);
    await parser
      .scriptName('ctindex')
      .env('CTINDEX')
      .config('config', 'JSON file with any of the options below (flags and CTINDEX_* variables win)')
      .option('log-level', { choices: ['debug', 'info', 'warn', 'error'] as const, default: 'info' as const, describe: 'Log verbosity' })
      .option('log-format', { choices: ['auto', 'pretty', 'json'] as const, default: 'auto' as const, describe: 'Log lines: pretty on a terminal, JSON otherwise (auto)' })
      .option('verbose', { type: 'boolean', describe: 'Print stack traces of errors' })
      .command(syncCommand)
      .command(setupCommand)
      .command(rulesCommand)
      .command(kibanaCommand)
      .command(demoDataCommand)
      .demandCommand(1, 'Name a command: sync, setup, rules, kibana or demo-data.')
      .strictCommands()
      .check(() => {
        // yargs' own getOptions() (the invoked command's options) is missing from @types/yargs.
        const known = (parser as unknown as { getOptions(): { key: Record<string, unknown> } }).getOptions().key;
        const unknown = unknownFlags(argv, Object.keys(known));
        if (unknown.length > 0) throw new ConfigError('unknown_flags', `Unknown flag${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')} (see --help).`);
        return true;
      })
      .fail((msg, err) => {
        // yargs validation problems (unknown flag, missing value) are configuration errors.
        throw err ?? new ConfigError('invalid_arguments', msg);
      })
      .help()
      .version()
      .wrap(Math.min(120, process.stdout.columns ?? 100))
      .parseAsync();
    return EXIT.ok;
  } catch (err) {
    const code = exitCodeOf(err);
    if (err instanceof ExitError) return code;
    if (err instanceof CtindexError) {
      process.stderr.write(`ctindex: ${err.message}\n`);
    } else {
      const message = err instanceof Error ? err.message : String(err);
      process.stderr.write(`ctindex: unexpected error, this is a bug: ${message}\nPlease report it with the command you ran and --verbose output.\n`);
    }
    if (verbose && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
    return code;
  }
}

// Node as PID 1 (a container) ignores SIGTERM, so a stopped pod would wait out its grace period.
// Stopping at once is safe: checkpoints only cover acknowledged files and leases expire, so the
// next run redoes the work since the last commit without duplicates.
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    process.stderr.write(`ctindex: received ${signal}; stopping. Work since the last checkpoint is redone by the next run.\n`);
    process.exit(signal === 'SIGTERM' ? 143 : 130);
  });
}

const exitCode = await main(hideBin(process.argv));
process.exitCode = exitCode;
// Normally the loop drains and the process ends by itself (stdout flushed). A client library that
// leaves a socket or timer behind must not turn a finished CronJob into a hung one.
setTimeout(() => process.exit(exitCode), 2000).unref();
