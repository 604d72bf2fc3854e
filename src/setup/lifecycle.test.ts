// The lifecycle request bodies and choices as pure functions: what ILM and DSL clusters are sent.
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import {
  chooseLifecycleMode,
  dslClusterRollover,
  dslLifecycle,
  DSL_DEFAULT_ROLLOVER,
  ilmPolicyMatches,
  ilmPolicyRequest,
  lifecycleFromMeta,
  lifecycleMeta,
  lifecyclePolicy,
  normaliseByteSize,
  parseDuration,
  rolloverMaxAgeFor,
  withLifecycle,
} from './lifecycle.js';

describe('durations and sizes', () => {
  it('parses Elasticsearch durations and rejects the rest', () => {
    expect(parseDuration('365d')).toBe(365 * 86_400_000);
    expect(parseDuration('12H')).toBe(12 * 3_600_000);
    expect(parseDuration('90m')).toBe(90 * 60_000);
    for (const bad of ['', '0d', '5y', '1.5d', '-1d', 'd']) expect(() => parseDuration(bad)).toThrow(ConfigError);
  });

  it('normalises byte sizes', () => {
    expect(normaliseByteSize('50GB')).toBe('50gb');
    expect(normaliseByteSize(' 500mb ')).toBe('500mb');
    for (const bad of ['0gb', '5 gb', '50', 'big']) expect(() => normaliseByteSize(bad)).toThrow(ConfigError);
  });

  it('rolls over younger indices for shorter retentions', () => {
    expect(['365d', '90d', '30d', '14d', '7d', '3d', '2d', '12h'].map(rolloverMaxAgeFor)).toEqual(['30d', '30d', '7d', '7d', '1d', '1d', '1h', '1h']);
  });
});

describe('lifecycle policies', () => {
  const ilm = lifecyclePolicy('ilm', { retention: '90d', rolloverMaxPrimaryShardSize: '10GB' });

  it('defaults to 365 days and 50gb', () => {
    expect(lifecyclePolicy('ctindex')).toEqual({ mode: 'ctindex', retention: '365d', rolloverMaxPrimaryShardSize: '50gb', rolloverMaxAge: '30d' });
  });

  it('builds the ILM policy: hot rollover by size and age, delete after retention', () => {
    expect(ilmPolicyRequest(ilm)).toEqual({
      policy: {
        _meta: { managed_by: 'ctindex', mode: 'ilm', retention: '90d', rollover_max_primary_shard_size: '10gb', rollover_max_age: '30d' },
        phases: {
          hot: { min_age: '0ms', actions: { rollover: { max_primary_shard_size: '10gb', max_age: '30d' } } },
          delete: { min_age: '90d', actions: { delete: {} } },
        },
      },
    });
    expect(ilmPolicyMatches(ilmPolicyRequest(ilm), ilm)).toBe(true);
    expect(ilmPolicyMatches(ilmPolicyRequest(ilm), { ...ilm, retention: '30d' })).toBe(false);
    expect(ilmPolicyMatches(undefined, ilm)).toBe(false);
  });

  it('builds the data stream lifecycle and its cluster rollover setting', () => {
    const dsl = lifecyclePolicy('dsl', { retention: '30d' });
    expect(dslLifecycle(dsl)).toEqual({ data_retention: '30d' });
    expect(dslClusterRollover(dsl)).toBe(DSL_DEFAULT_ROLLOVER);
    expect(dslClusterRollover({ ...dsl, rolloverMaxPrimaryShardSize: '10gb' })).toBe('max_age=auto,max_primary_shard_size=10gb,min_docs=1,max_primary_shard_docs=200000000');
  });

  it('wires the lifecycle into a data stream template and records it in _meta', () => {
    const body = { index_patterns: ['x-*'], data_stream: {}, template: { mappings: { dynamic: false } }, version: 3, _meta: { version: 3 } };
    const snapshot = structuredClone(body);
    expect(withLifecycle(body, ilm)).toEqual({ ...body, template: { mappings: { dynamic: false }, settings: { 'index.lifecycle.name': 'ctindex' } }, _meta: { version: 3, lifecycle: lifecycleMeta(ilm) } });
    const dsl = lifecyclePolicy('dsl');
    expect(withLifecycle(body, dsl).template).toEqual({ mappings: { dynamic: false }, lifecycle: { data_retention: '365d' } });
    const managed = lifecyclePolicy('ctindex');
    expect(withLifecycle(body, managed)).toEqual({ ...body, _meta: { version: 3, lifecycle: lifecycleMeta(managed) } });
    expect(body).toEqual(snapshot);
  });

  it('reads back what it recorded, and nothing else', () => {
    expect(lifecycleFromMeta(lifecycleMeta(ilm))).toEqual(ilm);
    expect(lifecycleFromMeta({ mode: 'magic', retention: '1d', rollover_max_primary_shard_size: '1gb' })).toBeUndefined();
    expect(lifecycleFromMeta({ mode: 'ilm', retention: 'forever', rollover_max_primary_shard_size: '1gb' })).toBeUndefined();
    expect(lifecycleFromMeta(undefined)).toBeUndefined();
  });
});

describe('chooseLifecycleMode', () => {
  const all = { ilm: true, dsl: true };
  const none = { ilm: false, dsl: false };

  it('prefers ILM, then DSL, then ctindex', () => {
    expect(chooseLifecycleMode('auto', all)).toBe('ilm');
    expect(chooseLifecycleMode('auto', { ilm: false, dsl: true })).toBe('dsl');
    expect(chooseLifecycleMode('auto', none)).toBe('ctindex');
  });

  it('keeps an installed mode the cluster still supports', () => {
    expect(chooseLifecycleMode('auto', all, 'ctindex')).toBe('ctindex');
    expect(chooseLifecycleMode('auto', all, 'dsl')).toBe('dsl');
    expect(chooseLifecycleMode('auto', none, 'ilm')).toBe('ctindex');
  });

  it('refuses an explicit mode the cluster lacks', () => {
    expect(() => chooseLifecycleMode('ilm', none)).toThrow(/ILM\) is not available/);
    expect(() => chooseLifecycleMode('dsl', none)).toThrow(ConfigError);
    expect(chooseLifecycleMode('ctindex', all)).toBe('ctindex');
    expect(chooseLifecycleMode('dsl', all)).toBe('dsl');
  });
});
