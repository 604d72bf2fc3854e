import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readTrailRecords } from '../reader/trail-reader.js';
import { LocalTrailSource } from '../source/local-source.js';
import { generateTrail, type TrailGenerationOptions } from './generate-trail.js';
import { directoryWriter, writeTrail } from './write-trail.js';

const OPTIONS: TrailGenerationOptions = {
  seed: 3,
  events: 1_500,
  accounts: ['111122223333'],
  regions: ['us-east-1', 'eu-west-1'],
  start: new Date('2024-05-01T00:00:00Z'),
};

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ctindex-demo-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Relative path → SHA-256 of every file under `root`. */
async function fingerprint(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    out[path.slice(root.length)] = createHash('sha256').update(await readFile(path)).digest('hex');
  }
  return out;
}

describe('writeTrail', () => {
  it('writes the same gzip bytes for the same seed', async () => {
    const first = await writeTrail(generateTrail(OPTIONS), directoryWriter(join(dir, 'a')));
    await writeTrail(generateTrail(OPTIONS), directoryWriter(join(dir, 'b')));
    const [a, b] = [await fingerprint(join(dir, 'a')), await fingerprint(join(dir, 'b'))];
    expect(Object.keys(a).length).toBe(first.logFiles + first.digestFiles);
    expect(b).toEqual(a);
  });

  it('reports what it wrote, and the files read back as the events generated', async () => {
    const summary = await writeTrail(generateTrail(OPTIONS), directoryWriter(dir), { concurrency: 2 });
    expect(summary).toMatchObject({ events: 1_500 });
    expect(summary.gzipBytes).toBeLessThan(summary.jsonBytes / 4);
    const source = new LocalTrailSource(dir);
    let records = 0;
    let logs = 0;
    for await (const partition of source.listPartitions({ accounts: [], regions: [] })) {
      for await (const listed of source.listObjects(partition, {})) {
        if (listed.kind !== 'log') continue;
        logs++;
        for await (const r of readTrailRecords(await source.fetch(listed.object), listed.object, { maxDecompressedBytes: 1e8, maxRecordBytes: 1e6 })) {
          expect(r.ok).toBe(true);
          records++;
        }
      }
    }
    expect({ logs, records }).toEqual({ logs: summary.logFiles, records: 1_500 });
  });

  it('stops and rejects with the first write error', async () => {
    let calls = 0;
    const failing = async () => {
      calls++;
      throw new Error('disk full');
    };
    await expect(writeTrail(generateTrail(OPTIONS), failing, { concurrency: 3 })).rejects.toThrow('disk full');
    expect(calls).toBeLessThanOrEqual(4);
  });
});
