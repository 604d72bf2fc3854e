// The `_id` of a partition's state document. Partition ids hold slashes and, with custom trail
// prefixes, any character S3 allows; the encoding must stay injective (two partitions never
// share a document) and within Elasticsearch's 512-byte `_id` limit.
import { createHash } from 'node:crypto';

const MAX_ID_BYTES = 512;

/** `123456789012/us-east-1` → `123456789012%2Fus-east-1`; over 512 bytes, a SHA-256 instead. */
export function stateDocId(partitionId: string): string {
  // Percent-encoding is reversible, hence injective, and keeps the id readable in Kibana.
  const encoded = encodeURIComponent(partitionId);
  // An encoded id never contains ':', so hashed ids cannot collide with encoded ones.
  return encoded.length <= MAX_ID_BYTES ? encoded : `sha256:${createHash('sha256').update(partitionId).digest('hex')}`;
}
