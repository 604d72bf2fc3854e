// Hand-written CloudTrail records and log files, for tests that need exact event times and ids
// (correlation across files and runs) rather than the demo generator's random trail. Shapes follow
// real CloudTrail: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html
import { randomBytes, randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';

export type CloudTrailRecord = Record<string, unknown>;

export interface Actor {
  readonly account: string;
  readonly userName: string;
  readonly ip: string;
}

const BROWSER = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0.0.0 Safari/537.36';

function principalId(actor: Actor): string {
  return `AIDA${Buffer.from(`${actor.account}${actor.userName}`).toString('hex').toUpperCase().slice(0, 17)}`;
}

/** A console sign-in of an IAM user that failed (wrong password): no errorCode, response `Failure`. */
export function failedConsoleLogin(actor: Actor, eventTime: string, eventID = randomUUID()): CloudTrailRecord {
  return {
    eventVersion: '1.09',
    userIdentity: { type: 'IAMUser', principalId: principalId(actor), accountId: actor.account, accessKeyId: '', userName: actor.userName },
    eventTime,
    eventSource: 'signin.amazonaws.com',
    eventName: 'ConsoleLogin',
    awsRegion: 'us-east-1',
    sourceIPAddress: actor.ip,
    userAgent: BROWSER,
    errorMessage: 'Failed authentication',
    requestParameters: null,
    responseElements: { ConsoleLogin: 'Failure' },
    additionalEventData: {
      LoginTo: 'https://console.aws.amazon.com/console/home?hashArgs=%23&isauthcode=true&state=hashArgsFromTB_us-east-1_5f1e8c2a9b3d4e6f',
      MobileVersion: 'No',
      MFAUsed: 'No',
    },
    eventID,
    readOnly: false,
    eventType: 'AwsConsoleSignIn',
    managementEvent: true,
    recipientAccountId: actor.account,
    eventCategory: 'Management',
    tlsDetails: { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256', clientProvidedHostHeader: 'signin.aws.amazon.com' },
  };
}

/** An ordinary read-only API call by the same user, as background noise in a file. */
export function describeInstances(actor: Actor, eventTime: string, eventID = randomUUID()): CloudTrailRecord {
  return {
    eventVersion: '1.09',
    userIdentity: {
      type: 'IAMUser',
      principalId: principalId(actor),
      arn: `arn:aws:iam::${actor.account}:user/${actor.userName}`,
      accountId: actor.account,
      accessKeyId: `AKIA${randomBytes(8).toString('hex').toUpperCase()}`,
      userName: actor.userName,
    },
    eventTime,
    eventSource: 'ec2.amazonaws.com',
    eventName: 'DescribeInstances',
    awsRegion: 'us-east-1',
    sourceIPAddress: actor.ip,
    userAgent: 'aws-cli/2.17.0 md/awscrt#0.20.11 ua/2.0 os/linux#6.8.0 md/arch#x86_64 lang/python#3.11.9',
    requestParameters: { instancesSet: {}, filterSet: {} },
    responseElements: null,
    requestID: randomUUID(),
    eventID,
    readOnly: true,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: actor.account,
    eventCategory: 'Management',
    tlsDetails: { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256', clientProvidedHostHeader: 'ec2.us-east-1.amazonaws.com' },
  };
}

/**
 * The key CloudTrail delivers a log file under:
 * `AWSLogs/<acct>/CloudTrail/<region>/yyyy/mm/dd/<acct>_CloudTrail_<region>_<yyyymmdd>T<hhmm>Z_<16 chars>.json.gz`.
 */
export function trailKey(account: string, region: string, deliveredAt: Date): string {
  const iso = deliveredAt.toISOString();
  const [yyyy, mm, dd] = [iso.slice(0, 4), iso.slice(5, 7), iso.slice(8, 10)];
  const stamp = `${yyyy}${mm}${dd}T${iso.slice(11, 13)}${iso.slice(14, 16)}Z`;
  const unique = randomBytes(12).toString('base64').replace(/[^A-Za-z0-9]/g, 'x').slice(0, 16);
  return `AWSLogs/${account}/CloudTrail/${region}/${yyyy}/${mm}/${dd}/${account}_CloudTrail_${region}_${stamp}_${unique}.json.gz`;
}

/** A gzipped log file body, `{"Records":[…]}` as CloudTrail writes it. */
export function trailFile(records: readonly CloudTrailRecord[]): Buffer {
  return gzipSync(Buffer.from(JSON.stringify({ Records: records }), 'utf8'));
}
