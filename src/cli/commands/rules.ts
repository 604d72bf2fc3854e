// `ctindex rules test` and `ctindex rules lint`: flags in, module functions out. Behaviour lives in
// src/rules/rules-test.ts and src/rules/lint.ts; load problems surface as RuleLoadError (exit 5)
// and lint errors as ExitError(5) after they are printed.
import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Argv, CommandModule } from 'yargs';
import { EXIT, ExitError } from '../../errors.js';
import { shippedRulesDir } from '../../package-paths.js';
import { formatLintProblem, lintRules } from '../../rules/lint.js';
import { formatLoadProblem, loadRuleset } from '../../rules/load-rules.js';
import { runRulesTest } from '../../rules/rules-test.js';
import type { ClockMode } from '../../rules/types.js';

interface RulesArgs {
  readonly rules: string[] | undefined;
  readonly lists: string | undefined;
}

interface TestArgs extends RulesArgs {
  readonly input: string;
  readonly explain: boolean;
  readonly clock: ClockMode;
}

function rulesOptions(y: Argv) {
  return y
    .option('rules', { type: 'string', array: true, describe: 'Rule files or directories, loaded in base-name order (default: the shipped rules/)' })
    .option('lists', { type: 'string', describe: 'Directory of CDB lists (a rule\'s etc/lists/ prefix is stripped)' });
}

const rulePaths = (argv: RulesArgs): string[] => (argv.rules !== undefined && argv.rules.length > 0 ? argv.rules : [shippedRulesDir]);

const testCommand: CommandModule<object, TestArgs> = {
  command: 'test',
  describe: 'Evaluate raw JSON logs (one per line) like wazuh-logtest and print the rule of each',
  builder: (y) =>
    rulesOptions(y)
      .option('input', { type: 'string', default: '-', describe: 'File with one log per line, or - for stdin' })
      .option('explain', { type: 'boolean', default: false, describe: 'Print the path through the rule tree to stderr' })
      .option('clock', { choices: ['event', 'processing'] as const, default: 'event' as const, describe: 'Clock for timeframe, ignore, <time> and <weekday>' }),
  handler: async (argv) => {
    const ruleset = await loadRuleset({ rules: rulePaths(argv), listsDir: argv.lists });
    for (const w of ruleset.warnings) process.stderr.write(`ctindex: warning: ${formatLoadProblem(w)}\n`);
    const input = argv.input === '-' ? process.stdin : createReadStream(argv.input);
    await runRulesTest({
      ruleset,
      lines: createInterface({ input, crlfDelay: Infinity }),
      clock: argv.clock,
      write: async (line) => {
        if (!process.stdout.write(`${line}\n`)) await once(process.stdout, 'drain');
      },
      ...(argv.explain ? { explain: (line: string) => process.stderr.write(`${line}\n`) } : {}),
    });
  },
};

const lintCommand: CommandModule<object, RulesArgs> = {
  command: 'lint',
  describe: 'Check rule files: fatal errors, skipped rules, unknown parents, cycles, ignored options',
  builder: rulesOptions,
  handler: async (argv) => {
    const result = await lintRules({ rules: rulePaths(argv), listsDir: argv.lists });
    for (const p of result.problems) process.stdout.write(`${formatLintProblem(p)}\n`);
    process.stderr.write(`${result.errors} error${result.errors === 1 ? '' : 's'}, ${result.warnings} warning${result.warnings === 1 ? '' : 's'}.\n`);
    if (result.errors > 0) throw new ExitError(EXIT.rules);
  },
};

export const rulesCommand: CommandModule = {
  command: 'rules <command>',
  describe: 'Test and lint Wazuh-compatible rule files',
  builder: (y) => y.command(testCommand).command(lintCommand).demandCommand(1, 'Name a rules command: test or lint.'),
  handler: () => {},
};
