import { describe, expect, it } from 'vitest';
import { parseEsConnection, parseSyncConfig, resolveShard } from './config.js';
import { ConfigError } from './errors.js';

describe('parseSyncConfig', () => {
  it('builds an S3 source with a normalised prefix and defaults filled in', () => {
    const c = parseSyncConfig({ bucket: 'trail', prefix: '/org/logs', since: '2026-11-01', regions: ['us-east-1,eu-west-1'] });
    expect(c.source).toEqual({ kind: 's3', bucket: 'trail', prefix: 'org/logs/', endpoint: undefined, region: undefined, profile: undefined, roleArn: undefined, externalId: undefined });
    expect(c.since?.toISOString()).toBe('2026-11-01T00:00:00.000Z');
    expect(c.regions).toEqual(['us-east-1', 'eu-west-1']);
    expect(c).toMatchObject({ namespace: 'default', concurrency: 16, clock: 'event', shard: { index: 0, count: 1 }, setup: true });
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('reports every invalid value at once, naming the flags', () => {
    let error: unknown;
    try {
      parseSyncConfig({ concurrency: 0, namespace: 'Prod!', since: 'yesterday' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message.split('\n')).toEqual([
      expect.stringMatching(/^--since: not a date: yesterday/),
      expect.stringMatching(/^--namespace: lowercase/),
      expect.stringMatching(/^--concurrency: /),
    ]);
  });

  it('checks option combinations once the values are valid, all of them together', () => {
    expect(() => parseSyncConfig({ shard: '4/4' })).toThrow(/--bucket: give --bucket[\s\S]*\n--shard: shard 4\/4/);
  });

  it.each([
    [{ bucket: 'b', dir: '/x' }, /--dir: --bucket and --dir exclude each other/],
    [{ bucket: 'b', since: '2026-11-02', until: '2026-11-01' }, /--until: --until must be after --since/],
    [{ bucket: 'b', dryRun: true, delete: true }, /--delete: --delete makes no sense with --dry-run/],
  ])('rejects conflicting options %j', (raw, message) => {
    expect(() => parseSyncConfig(raw)).toThrow(message);
  });
});

describe('resolveShard', () => {
  it('prefers --shard, then an Indexed Job, then 0/1', () => {
    expect(resolveShard('1/3', { JOB_COMPLETION_INDEX: '0', CTINDEX_SHARD_COUNT: '2' })).toEqual({ index: 1, count: 3 });
    expect(resolveShard(undefined, { JOB_COMPLETION_INDEX: '1', CTINDEX_SHARD_COUNT: '2' })).toEqual({ index: 1, count: 2 });
    expect(resolveShard(undefined, { JOB_COMPLETION_INDEX: '1' })).toEqual({ index: 0, count: 1 });
    expect(() => resolveShard(undefined, { JOB_COMPLETION_INDEX: '2', CTINDEX_SHARD_COUNT: '2' })).toThrow(ConfigError);
  });
});

describe('parseEsConnection', () => {
  it('turns the --es-* flags into client connection options, for every ES-facing command', () => {
    expect(parseEsConnection({ esUrl: 'https://es:9200', esApiKey: 'k', esCaFile: '/ca.pem', namespace: 'x' })).toEqual({
      url: 'https://es:9200', cloudId: undefined, apiKey: 'k', username: undefined, password: undefined, caFile: '/ca.pem',
    });
    expect(parseSyncConfig({ bucket: 'b', esUrl: 'https://es:9200', esUsername: 'u', esPassword: 'p' }).es).toMatchObject({ url: 'https://es:9200', username: 'u', password: 'p' });
  });

  it('rejects a malformed URL naming the flag', () => {
    expect(() => parseEsConnection({ esUrl: 'not a url' })).toThrow(/^--es-url: /);
  });
});
