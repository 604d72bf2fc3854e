// Finds the partitions (account/region pairs) of a trail by walking its folder levels, the way
// `ListObjectsV2` with `Delimiter: '/'` sees them. Both the S3 and the local source plug their
// folder listing into this walk, so they discover exactly the same partitions.
import { ACCOUNT_ID, ORG_ID, REGION, accountPrefix, buildPartition } from './trail-keys.js';
import type { Partition, PartitionFilter } from './types.js';

/** Names of the sub-folders directly under `prefix` (which ends in `/`), in key order. */
export type ListFolders = (prefix: string) => AsyncIterable<string>;

/**
 * Yields partitions under `<root>AWSLogs/`, plain and organization layouts alike. The filter
 * saves listings: with `regions` given no region folder is listed, and with `accounts` given the
 * account folders inside an organization folder are not listed either (an org may hold thousands).
 * Such partitions are built without checking they exist; listing an absent one costs one empty
 * page. Cost without a filter: one listing for the top, one per org, one per account.
 */
export async function* discoverPartitions(listFolders: ListFolders, root: string, filter: PartitionFilter): AsyncIterable<Partition> {
  const wantAccount = (account: string) => filter.accounts.length === 0 || filter.accounts.includes(account);
  for await (const top of listFolders(`${root}AWSLogs/`)) {
    if (ACCOUNT_ID.test(top)) {
      if (wantAccount(top)) yield* accountPartitions(listFolders, root, undefined, top, filter);
    } else if (ORG_ID.test(top)) {
      const accounts = filter.accounts.length > 0 ? filter.accounts : listFolders(`${root}AWSLogs/${top}/`);
      for await (const account of accounts) {
        if (ACCOUNT_ID.test(account)) yield* accountPartitions(listFolders, root, top, account, filter);
      }
    }
  }
}

async function* accountPartitions(
  listFolders: ListFolders,
  root: string,
  org: string | undefined,
  account: string,
  filter: PartitionFilter,
): AsyncIterable<Partition> {
  const regions = filter.regions.length > 0 ? filter.regions : listFolders(`${accountPrefix(root, org, account)}CloudTrail/`);
  for await (const region of regions) {
    if (REGION.test(region)) yield buildPartition({ root, org, account, region });
  }
}
