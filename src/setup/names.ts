// The names of everything ctindex keeps in Elasticsearch for one namespace. A namespace separates
// trails, tenants or test runs sharing a cluster; the templates match every namespace by pattern.
import { ConfigError } from '../errors.js';

export const NAMESPACE_PATTERN = /^[a-z0-9_]+$/;

export interface NamespaceTargets {
  /** Data stream of tagged CloudTrail events. */
  readonly events: string;
  /** Data stream of records that could not be indexed. */
  readonly deadLetters: string;
  /** Plain index of partition checkpoints, leases and correlation state (documents updated by `_id`). */
  readonly state: string;
  /**
   * Plain index of run summaries. Not a data stream: there is one small document per run, which
   * never needs rollover, and a plain index lets a run's document be written again by `_id`.
   */
  readonly runs: string;
}

export function namespaceTargets(namespace: string): NamespaceTargets {
  if (!NAMESPACE_PATTERN.test(namespace)) {
    throw new ConfigError('invalid_namespace', `Invalid namespace "${namespace}": use lowercase letters, digits and _ only.`);
  }
  return {
    events: `ctindex-cloudtrail-${namespace}`,
    deadLetters: `ctindex-deadletter-${namespace}`,
    state: `ctindex-state-${namespace}`,
    runs: `ctindex-runs-${namespace}`,
  };
}
