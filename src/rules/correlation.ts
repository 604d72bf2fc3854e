// A session's correlation state (rule-language.md §5, §2.5): remembered events in the sid and group
// lists, their `matched` marks, the global memory bound, ignore windows, firedtimes counters and
// check_diff logs. It serialises to a plain JSON snapshot and is rebuilt from one.
import type { ByteString } from '../bytes.js';
import { CtindexError } from '../errors.js';
import type { DecodedEvent } from '../decoder/types.js';
import type { CorrelationSlot, CorrelationFields, RuleDefinition } from './rule-definition.js';
import type { RuleState, RuleTree } from './rule-tree.js';
import type { CorrelationSnapshot } from './types.js';

/** analysisd `memory_size`: remembered events kept before the oldest are dropped (§5.1). */
export const MEMORY_SIZE = 8192;
/** eventinfo_list.c drops at least this many events once the memory is full. */
const EVICT_AT_LEAST = 10;

/** The event being evaluated; `matched` is the mark composites put on it (§5.2 step 10). */
export interface CurrentEvent {
  readonly event: DecodedEvent;
  matched: number;
}

interface StoredEvent {
  readonly seq: number;
  /** Unix seconds on the session clock. */
  readonly time: number;
  readonly agent: string;
  matched: number;
  /** The event had dynamic fields (same_field/different_field need that, §5.2). */
  readonly hasFields: boolean;
  /** Only the fields and slots some rule compares, to keep memory and snapshots small. */
  readonly fields: ReadonlyMap<string, ByteString>;
  readonly slots: Readonly<Partial<Record<CorrelationSlot, ByteString>>>;
  readonly log: ByteString | undefined;
  /** Indexes of the lists holding it (duplicates kept: a rule can feed one list twice). */
  readonly lists: readonly number[];
  /** Dropped by the memory bound; lists skip it until they are next compacted. */
  evicted: boolean;
}

/** Events in (time, arrival) order; evicted ones are removed lazily, in batches. */
interface EventList {
  items: StoredEvent[];
  live: number;
}

/** Snapshot form of one stored event. */
interface EventJson {
  s: number;
  t: number;
  a: string;
  m: number;
  h: boolean;
  f: Record<string, string>;
  x: Record<string, string>;
  l?: string;
  in: string[];
}

interface SnapshotJson {
  version: 1;
  seq: number;
  events: EventJson[];
  ignore: Record<string, number>;
  fired: Record<string, number>;
  diff: Record<string, string>;
}

function slotOf(event: DecodedEvent, slot: CorrelationSlot): ByteString | undefined {
  if (slot === 'location') return event.location;
  if (slot === 'srcgeoip' || slot === 'dstgeoip') return undefined;
  return event.statics[slot];
}

/** Inserts keeping (time, arrival) order; events mostly arrive in time order, which is O(1). */
function insertByTime(list: EventList, e: StoredEvent): void {
  const items = list.items;
  list.live++;
  if (items.length === 0 || (items[items.length - 1] as StoredEvent).time <= e.time) {
    items.push(e);
    return;
  }
  // Out of order (event clock): after the last event with time <= e.time.
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((items[mid] as StoredEvent).time <= e.time) lo = mid + 1;
    else hi = mid;
  }
  items.splice(lo, 0, e);
}

/** Forgets an evicted event; the list drops such events once they are half of it. */
function forget(list: EventList): void {
  list.live--;
  if (list.items.length > 2 * list.live + 16) list.items = list.items.filter((x) => !x.evicted);
}

/** §5.2 steps 3–7: the same_* and different_* conditions between the current and a stored event. */
function qualifies(same: CorrelationFields, different: CorrelationFields, cur: DecodedEvent, old: StoredEvent): boolean {
  if (same.fields.length > 0) {
    if (cur.fields.length === 0 || !old.hasFields) return false;
    for (const name of same.fields) {
      const a = cur.fieldIndex.get(name);
      if (a === undefined || a !== old.fields.get(name)) return false;
    }
  }
  if (different.fields.length > 0) {
    if (cur.fields.length === 0 && !old.hasFields) return false;
    for (const name of different.fields) {
      const a = cur.fieldIndex.get(name);
      if (a !== undefined && a === old.fields.get(name)) return false;
    }
  }
  for (const slot of same.slots) {
    const a = slotOf(cur, slot);
    if (a === undefined || a !== old.slots[slot]) return false;
  }
  for (const slot of different.slots) {
    const a = slotOf(cur, slot);
    if (a !== undefined && a === old.slots[slot]) return false;
  }
  return true;
}

export class CorrelationState {
  readonly #tree: RuleTree;
  readonly #lists: EventList[];
  /** All remembered events in time order (searched by if_matched_regex composites). */
  readonly #timeline: EventList = { items: [], live: 0 };
  /** All remembered events in arrival order, for the memory bound. */
  #arrival: StoredEvent[] = [];
  #arrivalHead = 0;
  #seq = 0;
  readonly #ignoreStart = new Map<number, number>();
  readonly #fired = new Map<number, number>();
  readonly #lastLogs = new Map<string, ByteString>();

  constructor(tree: RuleTree, snapshot?: CorrelationSnapshot) {
    this.#tree = tree;
    this.#lists = tree.lists.map(() => ({ items: [], live: 0 }));
    if (snapshot !== undefined) this.#restore(snapshot);
  }

  /**
   * §5.2: walks the composite's list from the newest event and decides whether the current event
   * completes it. On a match the current event and the newest counted one get `matched = level`.
   * Times are seconds of the session clock; an event more than `timeframe` away on either side is
   * out of the window (only ever "before" under the processing clock).
   */
  search(rule: RuleState, current: CurrentEvent, now: number): boolean {
    const search = rule.search;
    if (search === undefined) return false;
    const def: RuleDefinition = rule.def;
    const entries = (search.kind === 'events' ? this.#timeline : (this.#lists[search.list] as EventList)).items;
    const agent = current.event.agentId;
    let count = 0;
    let firstCounted: StoredEvent | undefined;
    for (let i = entries.length - 1; i >= 0; i--) {
      const old = entries[i] as StoredEvent;
      if (old.evicted) continue;
      if (now - old.time > def.timeframe) return false; // older ones are older still
      if (old.time - now > def.timeframe) continue;
      if (!def.globalFrequency && old.agent !== agent) continue;
      if (search.kind === 'events' && def.ifMatchedRegex !== undefined && (old.log === undefined || !def.ifMatchedRegex.test(old.log))) continue;
      if (!qualifies(def.same, def.different, current.event, old)) continue;
      // The barrier: an event already counted by a composite of this level or higher (§5.3).
      if (old.matched >= def.level) return false;
      if (count < def.need) {
        count++;
        firstCounted ??= old;
        continue;
      }
      current.matched = def.level;
      if (firstCounted !== undefined) firstCounted.matched = def.level;
      return true;
    }
    return false;
  }

  /** §5.1: stores the event in the lists of its final rule `rule` and in the global memory. */
  remember(rule: RuleState, current: CurrentEvent, now: number): void {
    const tree = this.#tree;
    const event = current.event;
    const fields = new Map<string, ByteString>();
    for (const name of tree.correlationFields) {
      const v = event.fieldIndex.get(name);
      if (v !== undefined) fields.set(name, v);
    }
    const slots: Partial<Record<CorrelationSlot, ByteString>> = {};
    for (const slot of tree.correlationSlots) {
      const v = slotOf(event, slot);
      if (v !== undefined) slots[slot] = v;
    }
    // A rule named by if_matched_sid feeds that list only, never group lists (§5.1 quirk).
    const lists = rule.ownList !== undefined ? [rule.ownList] : rule.feeds;
    this.#store({
      seq: this.#seq++,
      time: now,
      agent: event.agentId,
      matched: current.matched,
      hasFields: event.fields.length > 0,
      fields,
      slots,
      log: tree.keepsLogs ? event.log : undefined,
      lists,
      evicted: false,
    });
  }

  /** Counts one more time `rule` was final; returns the new count. */
  fire(ruleId: number): number {
    const n = (this.#fired.get(ruleId) ?? 0) + 1;
    this.#fired.set(ruleId, n);
    return n;
  }

  /** When the rule's ignore window started (0: none), §2.5. */
  ignoreStart(ruleId: number): number {
    return this.#ignoreStart.get(ruleId) ?? 0;
  }

  setIgnoreStart(ruleId: number, time: number): void {
    this.#ignoreStart.set(ruleId, time);
  }

  /**
   * `<check_diff>` (dodiff.c): the first log per rule and host is stored and does not match; later
   * ones match when they differ from the stored one, which they replace.
   */
  checkDiff(ruleId: number, event: DecodedEvent): boolean {
    const host = event.hostname.startsWith('(') ? event.hostname.slice(1).split(')')[0] ?? '' : event.hostname;
    const key = `${host}\u0000${ruleId}`;
    const last = this.#lastLogs.get(key);
    if (last === event.log) return false;
    this.#lastLogs.set(key, event.log);
    return last !== undefined;
  }

  snapshot(): CorrelationSnapshot {
    const keys = this.#tree.lists;
    const events: EventJson[] = [];
    for (let i = this.#arrivalHead; i < this.#arrival.length; i++) {
      const e = this.#arrival[i] as StoredEvent;
      events.push({
        s: e.seq,
        t: e.time,
        a: e.agent,
        m: e.matched,
        h: e.hasFields,
        f: Object.fromEntries(e.fields),
        x: { ...e.slots },
        ...(e.log !== undefined ? { l: e.log } : {}),
        in: e.lists.map((l) => keys[l] as string),
      });
    }
    const byId = (m: ReadonlyMap<number, number>): Record<string, number> => Object.fromEntries([...m].map(([k, v]) => [String(k), v]));
    const json: SnapshotJson = {
      version: 1,
      seq: this.#seq,
      events,
      ignore: byId(this.#ignoreStart),
      fired: byId(this.#fired),
      diff: Object.fromEntries(this.#lastLogs),
    };
    return json as unknown as CorrelationSnapshot;
  }

  #store(e: StoredEvent): void {
    for (const l of e.lists) insertByTime(this.#lists[l] as EventList, e);
    if (this.#tree.searchesEvents) insertByTime(this.#timeline, e);
    this.#arrival.push(e);
    if (this.#arrival.length - this.#arrivalHead > MEMORY_SIZE) this.#evict(e);
  }

  /**
   * eventinfo_list.c OS_AddEvent: drop at least 10 of the oldest events, and keep dropping while
   * the oldest is more than the largest `frequency − 2` seconds older than the new one.
   */
  #evict(newest: StoredEvent): void {
    let dropped = 0;
    while (this.#arrivalHead < this.#arrival.length - 1) {
      const oldest = this.#arrival[this.#arrivalHead] as StoredEvent;
      if (dropped >= EVICT_AT_LEAST && newest.time - oldest.time <= this.#tree.maxNeed) break;
      this.#arrivalHead++;
      dropped++;
      oldest.evicted = true;
      for (const l of oldest.lists) forget(this.#lists[l] as EventList);
      if (this.#tree.searchesEvents) forget(this.#timeline);
    }
    if (this.#arrivalHead > MEMORY_SIZE) {
      this.#arrival = this.#arrival.slice(this.#arrivalHead);
      this.#arrivalHead = 0;
    }
  }

  #restore(snapshot: CorrelationSnapshot): void {
    const json = parseSnapshot(snapshot);
    const listIndex = new Map(this.#tree.lists.map((key, i) => [key, i]));
    for (const e of json.events) {
      this.#store({
        seq: e.s,
        time: e.t,
        agent: e.a,
        matched: e.m,
        hasFields: e.h,
        fields: new Map(Object.entries(e.f)),
        slots: e.x,
        log: e.l,
        evicted: false,
        // Lists of rules that are no longer loaded are dropped.
        lists: e.in.flatMap((key) => {
          const i = listIndex.get(key);
          return i === undefined ? [] : [i];
        }),
      });
    }
    this.#seq = json.seq;
    for (const [id, t] of Object.entries(json.ignore)) this.#ignoreStart.set(Number(id), t);
    for (const [id, n] of Object.entries(json.fired)) this.#fired.set(Number(id), n);
    for (const [key, log] of Object.entries(json.diff)) this.#lastLogs.set(key, log);
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isRecordOf = (v: unknown, type: 'string' | 'number'): boolean => isRecord(v) && Object.values(v).every((x) => typeof x === type);

function isEventJson(v: unknown): v is EventJson {
  return (
    isRecord(v) &&
    typeof v['s'] === 'number' &&
    typeof v['t'] === 'number' &&
    typeof v['a'] === 'string' &&
    typeof v['m'] === 'number' &&
    typeof v['h'] === 'boolean' &&
    isRecordOf(v['f'], 'string') &&
    isRecordOf(v['x'], 'string') &&
    (v['l'] === undefined || typeof v['l'] === 'string') &&
    Array.isArray(v['in']) &&
    v['in'].every((k) => typeof k === 'string')
  );
}

/** Narrows a stored snapshot (it comes back from storage as plain JSON). */
function parseSnapshot(snapshot: CorrelationSnapshot): SnapshotJson {
  const v: unknown = snapshot;
  if (
    !isRecord(v) ||
    v['version'] !== 1 ||
    typeof v['seq'] !== 'number' ||
    !Array.isArray(v['events']) ||
    !v['events'].every(isEventJson) ||
    !isRecordOf(v['ignore'], 'number') ||
    !isRecordOf(v['fired'], 'number') ||
    !isRecordOf(v['diff'], 'string')
  ) {
    throw new CtindexError('correlation_state_invalid', 'Correlation state is not a version 1 ctindex snapshot.');
  }
  return v as unknown as SnapshotJson;
}
