// recordRun against the real Elasticsearch: one document per run, keyed by run id.
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { CtindexError } from '../../src/errors.js';
import { createEsClient } from '../../src/sink/es-client.js';
import { recordRun, runsIndex } from '../../src/state/runs-store.js';

const es = createEsClient({ url: inject('esUrl') });
const ns = `runsit_${randomBytes(4).toString('hex')}`;

afterAll(async () => {
  await es.indices.delete({ index: runsIndex(ns), ignore_unavailable: true });
  await es.close();
});

describe('recordRun', () => {
  const summary = {
    runId: '20261122T100000Z-ab12cd34',
    namespace: ns,
    startedAt: '2026-11-22T10:00:00.000Z',
    finishedAt: '2026-11-22T10:05:00.000Z',
    documents: { indexed: 120, duplicates: 3, deadLettered: 1 },
    problems: { es_rejected: 1 },
    exitCode: 1,
  };

  it('stores the summary under its run id, stamped with its finish time, once', async () => {
    await recordRun(es, ns, summary);
    // Recording the same run again (a retried call) keeps the first document.
    await recordRun(es, ns, { ...summary, exitCode: 0 });

    const stored = await es.get<Record<string, unknown>>({ index: runsIndex(ns), id: summary.runId });
    expect(stored._source).toEqual({ '@timestamp': '2026-11-22T10:05:00.000Z', ...summary });
    await es.indices.refresh({ index: runsIndex(ns) });
    expect((await es.count({ index: runsIndex(ns) })).count).toBe(1);
  });

  it('stamps a summary without finishedAt with the current time', async () => {
    await recordRun(es, ns, { runId: 'no-finish', exitCode: 0 }, () => new Date('2026-11-22T11:00:00.000Z'));
    const stored = await es.get<Record<string, unknown>>({ index: runsIndex(ns), id: 'no-finish' });
    expect(stored._source).toEqual({ '@timestamp': '2026-11-22T11:00:00.000Z', runId: 'no-finish', exitCode: 0 });
  });

  it('refuses a summary without run id or exit code', async () => {
    await expect(recordRun(es, ns, { exitCode: 0 })).rejects.toBeInstanceOf(CtindexError);
    await expect(recordRun(es, ns, { runId: 'x' })).rejects.toMatchObject({ code: 'run_summary_invalid' });
  });
});
