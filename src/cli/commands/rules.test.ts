import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import yargs from 'yargs';
import { ExitError } from '../../errors.js';
import { rulesCommand } from './rules.js';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../test/fixtures/rules');

async function cli(args: string[]): Promise<{ stdout: string; stderr: string; error: unknown }> {
  let stdout = '';
  let stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  let error: unknown;
  try {
    await yargs(args).command(rulesCommand).strict().fail((msg, err) => { throw err ?? new Error(msg); }).parseAsync();
  } catch (err) {
    error = err;
  } finally {
    vi.restoreAllMocks();
  }
  return { stdout, stderr, error };
}

describe('ctindex rules', () => {
  afterEach(() => vi.restoreAllMocks());

  it('test: evaluates each line of --input and prints one JSON line per event', async () => {
    const input = path.join(FIXTURES, 'demo-logs.ndjson');
    const { stdout, error } = await cli(['rules', 'test', '--rules', FIXTURES, '--input', input, '--clock', 'processing']);
    expect(error).toBeUndefined();
    expect(stdout.trim().split('\n').map((l) => (JSON.parse(l) as { rule: { id: string } | null }).rule?.id ?? null)).toEqual(['100101', '100102', null]);
  });

  it('test: --explain writes the path to stderr', async () => {
    const { stderr } = await cli(['rules', 'test', '--rules', FIXTURES, '--input', path.join(FIXTURES, 'demo-logs.ndjson'), '--explain']);
    expect(stderr).toContain('Trying rule: 100100 - Demo envelope');
  });

  it('lint: prints nothing but the summary for clean rules', async () => {
    const { stdout, stderr, error } = await cli(['rules', 'lint', '--rules', FIXTURES]);
    expect([stdout, stderr, error]).toEqual(['', '0 errors, 0 warnings.\n', undefined]);
  });

  it('lint: exits with the rules code when there are errors', async () => {
    const { stdout, error } = await cli(['rules', 'lint', '--rules', path.join(FIXTURES, 'broken'), path.join(FIXTURES, '0010-root.xml')]);
    expect(stdout).toContain('rule 100: error: Invalid option <bogus>.');
    expect(error).toBeInstanceOf(ExitError);
    expect((error as ExitError).exitCode).toBe(5);
  });
});
