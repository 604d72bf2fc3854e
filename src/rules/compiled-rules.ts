// The `<compiled_rule>` functions Wazuh links into analysisd (compiled_rules/generic_samples.c),
// re-implemented from their documented behaviour so stock rules that name them load and behave.
import type { ByteString } from '../bytes.js';
import type { DecodedEvent } from '../decoder/types.js';

const CRAWLER_PREFIXES = ['66.249.', '72.14.', '209.85.', '65.55.', '207.46.', '74.6.', '72.30.', '67.195.'];

/** Text after the `:` following `label`, compared up to a TAB or a double space (Windows logs). */
function mswinAccount(log: ByteString, label: string): ByteString | undefined {
  const at = log.indexOf(label);
  if (at === -1) return undefined;
  const colon = log.indexOf(':', at);
  return colon === -1 ? undefined : log.slice(colon + 1);
}

export const COMPILED_RULES: ReadonlyMap<string, (event: DecodedEvent) => boolean> = new Map<string, (event: DecodedEvent) => boolean>([
  // True unless srcuser and dstuser are both present and differ.
  ['comp_srcuser_dstuser', (e) => e.statics.srcuser === undefined || e.statics.dstuser === undefined || e.statics.srcuser === e.statics.dstuser],
  ['check_id_size', (e) => e.statics.id !== undefined && e.statics.id.length >= 10],
  [
    'comp_mswin_targetuser_calleruser_diff',
    (e) => {
      const target = mswinAccount(e.log, 'Target Account Name');
      const caller = mswinAccount(e.log, 'Caller User Name');
      if (target === undefined || caller === undefined) return false;
      for (let i = 0; i < target.length; i++) {
        if (target[i] !== caller[i]) return true;
        if (target[i] === '\t' || (target[i] === ' ' && target[i + 1] === ' ')) break;
      }
      return false;
    },
  ],
  ['is_simple_http_request', (e) => e.statics.url !== undefined && (e.statics.url === '/' || !e.statics.url.includes('?'))],
  ['is_valid_crawler', (e) => CRAWLER_PREFIXES.some((p) => e.log.startsWith(p))],
]);
