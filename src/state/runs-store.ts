// Keeps each sync run's summary in `ctindex-runs-<ns>`, one document per run, so Kibana can show
// what ran, when, and how it ended (exit code, counts, problems) without access to the logs.
import type { Client } from '@elastic/elasticsearch';
import { CtindexError } from '../errors.js';
import { describeClient, failedCallOutcome, toSinkError } from '../sink/es-client.js';

export function runsIndex(namespace: string): string {
  return `ctindex-runs-${namespace}`;
}

/**
 * Stores `summary` (which must hold `runId` and `exitCode`) with `@timestamp` = its `finishedAt`,
 * or now. The run id is the `_id` and the write a `create`: recording the same run twice keeps the
 * first, and the same call works whether the index is a plain index or a data stream.
 */
export async function recordRun(es: Client, ns: string, summary: Readonly<Record<string, unknown>>, now: () => Date = () => new Date()): Promise<void> {
  const { runId, exitCode, finishedAt } = summary;
  if (typeof runId !== 'string' || typeof exitCode !== 'number') {
    throw new CtindexError('run_summary_invalid', 'A run summary needs a string runId and a numeric exitCode.');
  }
  const timestamp = typeof finishedAt === 'string' ? finishedAt : now().toISOString();
  try {
    await es.create({ index: runsIndex(ns), id: runId, document: { '@timestamp': timestamp, ...summary } });
  } catch (err) {
    if (failedCallOutcome(err) === 409) return;
    throw toSinkError(err, describeClient(es), `recording run ${runId}`);
  }
}
