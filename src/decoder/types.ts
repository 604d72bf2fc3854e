// What the decoder hands the rule engine: one event shaped as Wazuh's json decoder would see it
// (rule-language.md §3.7, §7). Values are byte strings (src/bytes.ts).
import type { ByteString } from '../bytes.js';

/** Static event slots (rule-language.md §7.3), as named by the engine. */
export type StaticField =
  | 'srcip' | 'dstip' | 'srcport' | 'dstport' | 'protocol' | 'action' | 'srcuser' | 'dstuser'
  | 'id' | 'status' | 'url' | 'data' | 'extra_data' | 'system_name';

export interface DecodedEvent {
  /** `log` / `full_log`: the raw text that <match>/<regex> see. */
  readonly log: ByteString;
  /** Dynamic fields in decode order, duplicates kept, at most 256 (§7.2). Names as decoded. */
  readonly fields: ReadonlyArray<readonly [name: string, value: ByteString]>;
  /** ASCII-lower-cased name → value of the FIRST field with that name (§7.4 lookup). */
  readonly fieldIndex: ReadonlyMap<string, ByteString>;
  /** Static fields that are present. */
  readonly statics: Readonly<Partial<Record<StaticField, ByteString>>>;
  /** Decoder name for <decoded_as> (`json`). */
  readonly decoder: string;
  /** Pre-decoding `location` (`Wazuh-AWS` for sync, `stdin` for `rules test`). */
  readonly location: ByteString;
  /** Pre-decoding `hostname`. */
  readonly hostname: ByteString;
  /** Agent id for the same-agent correlation check (§5.2): `000`. */
  readonly agentId: string;
  /** Event time in ms since the epoch (CloudTrail eventTime) for the `event` clock; undefined if unknown. */
  readonly eventTimeMs: number | undefined;
}
