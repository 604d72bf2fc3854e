// `ctindex rules test`: the wazuh-logtest view of a ruleset (rule-language.md §2.5, §10). Each
// input line is one raw log, decoded as logtest would (a CloudTrail record through the AWS
// envelope, anything else through the json decoder with location `stdin`), and evaluated in order
// in one session; one `{"rule": …}` JSON line is printed per event.
import { hostname as osHostname } from 'node:os';
import { decodeCloudTrailRecord, isCloudTrailRecord } from '../decoder/decode-cloudtrail.js';
import { decodeJsonLog } from '../decoder/decode-json-log.js';
import type { DecodedEvent } from '../decoder/types.js';
import type { Clock } from './clock.js';
import type { CompiledRuleset } from './ruleset.js';
import type { ClockMode } from './types.js';

export interface RulesTestOptions {
  readonly ruleset: CompiledRuleset;
  /** Input lines without their line terminators. */
  readonly lines: AsyncIterable<string> | Iterable<string>;
  readonly clock: ClockMode;
  /** Print the path through the tree to `explain` (wazuh-logtest's verbose rule phase). */
  readonly explain?: (line: string) => void;
  /** Receives one JSON line per event; may return a promise to apply backpressure. */
  readonly write: (line: string) => void | Promise<void>;
  /** Pre-decoding hostname of non-CloudTrail lines; default this machine's name, as the manager's. */
  readonly hostname?: string;
  readonly wallClock?: Clock;
}

export interface RulesTestSummary {
  readonly events: number;
  /** Events with a final rule (level 0 included). */
  readonly matched: number;
}

/** One input line as wazuh-logtest would decode it. */
export function decodeTestLine(line: string, hostname: string): DecodedEvent {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    value = undefined;
  }
  return isCloudTrailRecord(value) ? decodeCloudTrailRecord(value, { bucket: 'stdin', key: 'stdin' }) : decodeJsonLog(line, { location: 'stdin', hostname });
}

/** Blank lines are skipped, as runtests.py does (§10). */
export async function runRulesTest(options: RulesTestOptions): Promise<RulesTestSummary> {
  const session = options.ruleset.newSession({
    clock: options.clock,
    view: 'logtest',
    ...(options.wallClock !== undefined ? { wallClock: options.wallClock } : {}),
  });
  const host = options.hostname ?? osHostname();
  let events = 0;
  let matched = 0;
  for await (const line of options.lines) {
    if (line.trim() === '') continue;
    events++;
    const explain = options.explain;
    explain?.(`**Event ${events}: rule debugging:`);
    const match = session.evaluate(decodeTestLine(line, host), explain !== undefined ? { explain } : undefined);
    if (match !== null) matched++;
    await options.write(JSON.stringify({ rule: match }));
  }
  return { events, matched };
}
