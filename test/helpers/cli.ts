// Runs the built CLI (`npm test` builds first) as a real process, as operators and CronJobs do, so
// tests see true exit codes, stdout and stderr.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Credentials moto accepts; never real ones. */
export const TEST_AWS_ENV = { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'us-east-1' };

export function startCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): { child: ChildProcess; result: Promise<CliResult> } {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { ...process.env, ...TEST_AWS_ENV, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const result = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, result };
}

export function runCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return startCli(args, env).result;
}

/** The RunSummary that `sync` prints as its last stdout line when stdout is not a TTY. */
export function summaryOf(result: CliResult): SyncSummary {
  const last = result.stdout.trim().split('\n').at(-1) ?? '';
  try {
    return (JSON.parse(last) as { summary: SyncSummary }).summary;
  } catch {
    throw new Error(`no summary on stdout (exit ${result.code}):\n${result.stdout}\n${result.stderr}`);
  }
}

export interface SyncSummary {
  readonly runId: string;
  readonly exitCode: number;
  readonly records: number;
  readonly partitions: { listed: number; synced: number; busy: number };
  readonly objects: { listed: number; read: number; alreadyDone: number; skipped: Record<string, number>; failed: number; deleted: number };
  readonly documents: { indexed: number; duplicates: number; deadLettered: number };
  readonly alerts: { total: number; byLevel: Record<string, number> };
  readonly problems: Record<string, number>;
}
