// How messages name an object: `s3://bucket/key` for S3, a file path for a local directory
// (whose "bucket" is an absolute path, which no S3 bucket name can be).

export function objectLocation(bucket: string, key: string): string {
  if (bucket.includes('/') || bucket.includes('\\')) return `${bucket.replace(/[/\\]+$/, '')}/${key}`;
  return `s3://${bucket}/${key}`;
}
