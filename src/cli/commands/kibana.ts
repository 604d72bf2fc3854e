// `ctindex kibana import`: checks the flags into KibanaImportOptions, then imports each ndjson file
// (the shipped dashboards by default) through Kibana's saved objects API, printing one line per
// object. Per-object errors and Kibana failures end in a KibanaError (exit code 6, in main.ts).
import { readFile, readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { ConfigError, KibanaError } from '../../errors.js';
import { importSavedObjectsFile, type ImportFileResult, type ImportObjectResult, type KibanaAuth, type KibanaTarget } from '../../kibana/import-saved-objects.js';
import { savedObjectsDir } from '../../package-paths.js';

/** How long Kibana may stay silent before the import is abandoned. */
export const IMPORT_TIMEOUT_MS = 120_000;

export interface KibanaImportOptions {
  readonly target: KibanaTarget;
  readonly overwrite: boolean;
  /** ndjson files, imported one request each, in this order. */
  readonly files: readonly string[];
}

function builder(y: Argv) {
  return y
    .option('kibana-url', { type: 'string', describe: 'Kibana base URL, with its base path if any (env CTINDEX_KIBANA_URL)' })
    .option('api-key', { type: 'string', alias: 'kibana-api-key', describe: 'Elasticsearch API key, encoded or id:key (env CTINDEX_KIBANA_API_KEY)' })
    .option('username', { type: 'string', alias: 'kibana-username', describe: 'Basic auth user, instead of --api-key' })
    .option('password', { type: 'string', alias: 'kibana-password', describe: 'Basic auth password (env CTINDEX_KIBANA_PASSWORD)' })
    .option('space', { type: 'string', default: 'default', describe: 'Kibana space id' })
    .option('overwrite', { type: 'boolean', default: false, describe: 'Replace objects that already exist (a re-import needs it)' })
    .option('file', { type: 'string', array: true, describe: 'ndjson files to import (default: the shipped kibana-saved-objects/*.ndjson)' })
    .option('ca-file', { type: 'string', alias: 'kibana-ca-file', describe: 'PEM CA certificates to trust for an https Kibana' });
}

const importCommand: CommandModule = {
  command: 'import',
  describe: 'Import the ctindex data view, saved search and dashboards into Kibana',
  builder,
  handler: async (argv) => {
    const options = await resolveKibanaImportOptions(argv);
    await runKibanaImport(options, (line) => process.stdout.write(`${line}\n`));
  },
};

export const kibanaCommand: CommandModule = {
  command: 'kibana <command>',
  describe: 'Kibana saved objects: data view, saved search and dashboards',
  builder: (y) => y.command(importCommand).demandCommand(1, 'Name a kibana command: import.'),
  handler: () => {},
};

const optionalString = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** Turns parsed flags into options; every flag problem is reported at once, as one ConfigError. */
export async function resolveKibanaImportOptions(argv: Readonly<Record<string, unknown>>): Promise<KibanaImportOptions> {
  const problems: string[] = [];
  const url = optionalString(argv.kibanaUrl);
  let kibanaUrl = '';
  if (url === undefined) problems.push('--kibana-url: required (or CTINDEX_KIBANA_URL)');
  else {
    let parsed: URL | undefined;
    try {
      parsed = new URL(url);
    } catch {
      problems.push('--kibana-url: not a URL');
    }
    if (parsed && !/^https?:$/.test(parsed.protocol)) problems.push('--kibana-url: use http:// or https://');
    // Credentials in the URL would end up in every message that names it.
    else if (parsed && (parsed.username || parsed.password)) problems.push('--kibana-url: put credentials in --api-key or --username/--password, not in the URL');
    else if (parsed && (parsed.search || parsed.hash)) problems.push('--kibana-url: no query string or fragment');
    else if (parsed) kibanaUrl = `${parsed.origin}${parsed.pathname.replace(/\/+$/, '')}`;
  }

  const apiKey = optionalString(argv.apiKey);
  const username = optionalString(argv.username);
  const password = optionalString(argv.password);
  let auth: KibanaAuth = { kind: 'none' };
  if (apiKey !== undefined && (username !== undefined || password !== undefined)) problems.push('--api-key: give either an API key or --username/--password, not both');
  else if (apiKey !== undefined) auth = { kind: 'apiKey', apiKey };
  else if (username !== undefined && password !== undefined) auth = { kind: 'basic', username, password };
  else if (username !== undefined) problems.push('--password: required with --username');
  else if (password !== undefined) problems.push('--username: required with --password');

  const space = optionalString(argv.space) ?? 'default';
  // Kibana space ids: lowercase letters, digits, "_" and "-".
  if (!/^[a-z0-9_-]+$/.test(space)) problems.push('--space: a space id has only lowercase letters, digits, _ and -');

  const given = Array.isArray(argv.file) ? argv.file.map(String) : typeof argv.file === 'string' ? [argv.file] : [];
  for (const f of given) if (!f.endsWith('.ndjson')) problems.push(`--file: ${f} is not an .ndjson file (Kibana imports only those)`);

  const caFile = optionalString(argv.caFile);
  let ca: Buffer | undefined;
  if (caFile !== undefined) {
    try {
      ca = await readFile(caFile);
    } catch (err) {
      problems.push(`--ca-file: cannot read ${caFile} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
  }
  if (problems.length > 0) throw new ConfigError('invalid_options', problems.join('\n'));

  const files = given.length > 0 ? given : await shippedFiles();
  return {
    target: { kibanaUrl, auth, space, timeoutMs: IMPORT_TIMEOUT_MS, ...(ca === undefined ? {} : { ca }) },
    overwrite: argv.overwrite === true,
    files,
  };
}

async function shippedFiles(): Promise<string[]> {
  const names = (await readdir(savedObjectsDir)).filter((n) => n.endsWith('.ndjson')).sort();
  if (names.length === 0) throw new ConfigError('no_saved_objects', `No .ndjson files in ${savedObjectsDir}: pass --file.`);
  return names.map((n) => join(savedObjectsDir, n));
}

/**
 * Imports the files in order and prints each object's outcome. Stops at the first file with a
 * per-object error (later files usually reference its objects) and throws a KibanaError for it.
 */
export async function runKibanaImport(options: KibanaImportOptions, print: (line: string) => void): Promise<ImportFileResult[]> {
  const { target } = options;
  const results: ImportFileResult[] = [];
  for (const path of options.files) {
    let content: Buffer;
    try {
      content = await readFile(path);
    } catch (err) {
      throw new ConfigError('unreadable_file', `Cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}).`, { file: path });
    }
    const result = await importSavedObjectsFile(target, { path: displayPath(path), content }, options.overwrite);
    results.push(result);
    printFileResult(result, target, print);
    const failed = result.objects.filter((o): o is Extract<ImportObjectResult, { outcome: 'error' }> => o.outcome === 'error');
    if (failed.length > 0) {
      const kinds = [...new Set(failed.map((o) => o.errorType))];
      const hint = kinds.includes('conflict') && !options.overwrite ? ' Re-run with --overwrite to replace the existing objects.' : '';
      throw new KibanaError(
        'kibana_import_errors',
        `Kibana at ${target.kibanaUrl} (space ${target.space}) did not import ${failed.length} of ${failed.length + result.successCount} objects from ${result.file} (${kinds.join(', ')}).${hint}`,
        { kibanaUrl: target.kibanaUrl, space: target.space, file: path, failed: failed.length },
      );
    }
  }
  const total = results.reduce((n, r) => n + r.successCount, 0);
  print(`Imported ${total} saved objects into Kibana at ${target.kibanaUrl} (space ${target.space}). Open Analytics → Dashboards and search for "[ctindex]".`);
  return results;
}

function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel.startsWith('..') ? path : rel;
}

function printFileResult(result: ImportFileResult, target: KibanaTarget, print: (line: string) => void): void {
  print(`${result.file} → Kibana at ${target.kibanaUrl} (space ${target.space}): ${result.successCount} imported.`);
  const typeWidth = Math.max(0, ...result.objects.map((o) => o.type.length));
  const idWidth = Math.max(0, ...result.objects.map((o) => o.id.length));
  for (const o of result.objects) {
    const head = `  ${o.outcome.padEnd(11)}  ${o.type.padEnd(typeWidth)}  ${o.id.padEnd(idWidth)}`;
    const title = o.title === undefined ? '' : `  ${o.title}`;
    if (o.outcome === 'error') print(`${head}${title}: ${o.errorType}${o.detail === undefined ? '' : ` (${o.detail})`}`);
    else print(`${head}${title}${o.destinationId === undefined ? '' : ` (stored as ${o.destinationId})`}`);
  }
  for (const w of result.warnings) print(`  warning: ${w}`);
}
