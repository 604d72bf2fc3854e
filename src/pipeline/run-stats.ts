// Counters for one sync run. Stages only bump counters (never log per event); the summary that
// the CLI prints, the last JSON log line, the runs-index document and the tests all read
// `RunStats.summary()`.
import { ALERT_LEVEL, type RuleMatch } from '../rules/types.js';

export interface RunSummary {
  readonly runId: string;
  readonly source: string;
  readonly namespace: string;
  readonly shard: string;
  readonly dryRun: boolean;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly durationMs: number;
  readonly partitions: { readonly listed: number; readonly synced: number; readonly busy: number };
  readonly objects: {
    readonly listed: number;
    readonly read: number;
    readonly alreadyDone: number;
    readonly skipped: Readonly<Record<string, number>>;
    readonly failed: number;
    readonly deleted: number;
  };
  readonly bytes: { readonly compressed: number };
  readonly records: number;
  readonly documents: { readonly indexed: number; readonly duplicates: number; readonly deadLettered: number };
  readonly alerts: { readonly total: number; readonly byLevel: Readonly<Record<string, number>> };
  readonly topRules: readonly { readonly id: string; readonly level: number; readonly description: string; readonly count: number }[];
  readonly problems: Readonly<Record<string, number>>;
  readonly eventsPerSecond: number;
  readonly exitCode: number;
}

export class RunStats {
  readonly runId: string;
  readonly #startedAt: number;
  readonly #now: () => number;
  partitionsListed = 0;
  partitionsSynced = 0;
  partitionsBusy = 0;
  objectsListed = 0;
  objectsRead = 0;
  objectsAlreadyDone = 0;
  objectsFailed = 0;
  objectsDeleted = 0;
  compressedBytes = 0;
  records = 0;
  indexed = 0;
  duplicates = 0;
  deadLettered = 0;
  readonly #skipped = new Map<string, number>();
  readonly #problems = new Map<string, number>();
  readonly #rules = new Map<string, { id: string; level: number; description: string; count: number }>();

  readonly #describe: (id: string) => string | undefined;

  /** `describeRule` gives a rule's description as written, so a top-rules line does not show one event's values. */
  constructor(runId: string, now: () => number = Date.now, describeRule: (id: string) => string | undefined = () => undefined) {
    this.runId = runId;
    this.#now = now;
    this.#describe = describeRule;
    this.#startedAt = now();
  }

  skipped(reason: string): void {
    bump(this.#skipped, reason);
  }

  /** A dead-lettered or failed record/object, by its stable error code. */
  problem(code: string): void {
    bump(this.#problems, code);
  }

  matched(rule: RuleMatch | null): void {
    this.records++;
    if (rule === null) return;
    const seen = this.#rules.get(rule.id);
    if (seen) seen.count++;
    else this.#rules.set(rule.id, { id: rule.id, level: rule.level, description: this.#describe(rule.id) ?? rule.description, count: 1 });
  }

  /** True when the run lost or rejected anything: the CLI exits non-zero. */
  get hadProblems(): boolean {
    return this.#problems.size > 0 || this.objectsFailed > 0 || this.deadLettered > 0;
  }

  summary(meta: { source: string; namespace: string; shard: string; dryRun: boolean; exitCode: number }): RunSummary {
    const finished = this.#now();
    const durationMs = Math.max(0, finished - this.#startedAt);
    const byLevel: Record<string, number> = {};
    let alerts = 0;
    for (const r of this.#rules.values()) {
      if (r.level < ALERT_LEVEL) continue;
      byLevel[String(r.level)] = (byLevel[String(r.level)] ?? 0) + r.count;
      alerts += r.count;
    }
    const topRules = [...this.#rules.values()]
      .filter((r) => r.level > 0)
      .sort((a, b) => b.count - a.count || b.level - a.level || a.id.localeCompare(b.id))
      .slice(0, 10)
      .map((r) => ({ ...r }));
    return {
      runId: this.runId,
      ...meta,
      startedAt: new Date(this.#startedAt).toISOString(),
      finishedAt: new Date(finished).toISOString(),
      durationMs,
      partitions: { listed: this.partitionsListed, synced: this.partitionsSynced, busy: this.partitionsBusy },
      objects: {
        listed: this.objectsListed,
        read: this.objectsRead,
        alreadyDone: this.objectsAlreadyDone,
        skipped: Object.fromEntries(this.#skipped),
        failed: this.objectsFailed,
        deleted: this.objectsDeleted,
      },
      bytes: { compressed: this.compressedBytes },
      records: this.records,
      documents: { indexed: this.indexed, duplicates: this.duplicates, deadLettered: this.deadLettered },
      alerts: { total: alerts, byLevel },
      topRules,
      problems: Object.fromEntries(this.#problems),
      eventsPerSecond: durationMs > 0 ? Math.round((this.records * 1000) / durationMs) : this.records,
    };
  }
}

function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}
