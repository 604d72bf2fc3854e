// Deletes one namespace's data (events, dead letters, state, run summaries) and leaves the shared
// templates, which every namespace uses. For retiring a trail or tenant, and for tests.
import type { Client } from '@elastic/elasticsearch';
import { describeClient, toSinkError } from '../sink/es-client.js';
import { esRequest, isMissingApi, seg, statusOf } from './es-request.js';
import { backingIndices } from './lifecycle.js';
import { namespaceTargets } from './names.js';

/**
 * Data streams go with `DELETE _data_stream/<name>`. Clusters without that API (the integ-test
 * distribution) cannot delete a data stream or its write index, so the stream is rolled over onto
 * a fresh, empty write index and every older backing index is deleted.
 */
async function removeDataStream(es: Client, dataStream: string): Promise<void> {
  try {
    await esRequest(es, 'DELETE', `/_data_stream/${seg(dataStream)}`);
    return;
  } catch (error) {
    if (statusOf(error) === 404) return;
    if (!isMissingApi(error)) throw error;
  }
  if ((await backingIndices(es, dataStream)).length === 0) return;
  await esRequest(es, 'POST', `/${seg(dataStream)}/_rollover`);
  const older = (await backingIndices(es, dataStream)).slice(0, -1);
  if (older.length > 0) await esRequest(es, 'DELETE', `/${older.map(seg).join(',')}`);
}

export async function removeNamespace(es: Client, namespace: string): Promise<void> {
  const targets = namespaceTargets(namespace);
  try {
    await removeDataStream(es, targets.events);
    await removeDataStream(es, targets.deadLetters);
    await esRequest(es, 'DELETE', `/${seg(targets.state)},${seg(targets.runs)}`, { querystring: { ignore_unavailable: true } });
  } catch (error) {
    throw toSinkError(error, describeClient(es), `removing namespace ${namespace}`);
  }
}
