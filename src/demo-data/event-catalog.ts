// CloudTrail records for the demo, shaped as AWS documents them: the envelope
// (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html),
// `userIdentity` per caller type (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html),
// console sign-in events (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-aws-console-sign-in-events.html)
// and each service's request/response shapes as they appear in its CloudTrail logging docs.
import type { AccountWorld, Person, RoleInfo } from './account-world.js';
import type { Prng } from './prng.js';

export type CloudTrailRecord = Record<string, unknown>;

/** Everything a record builder may draw on. */
export interface EventContext {
  readonly prng: Prng;
  readonly world: AccountWorld;
  readonly region: string;
  readonly time: Date;
}

/** Who makes a call, and from where. */
interface Caller {
  readonly identity: Record<string, unknown>;
  readonly sourceIPAddress: string;
  readonly userAgent: string;
  /** An AWS service calling on its own: no TLS details, `AwsServiceEvent` for some calls. */
  readonly service: boolean;
  /** A console session (`sessionCredentialFromConsole`). */
  readonly console: boolean;
  /** The caller's ARN, for AccessDenied messages. */
  readonly arn: string;
}

interface CallSpec {
  readonly source: string;
  readonly name: string;
  readonly readOnly: boolean;
  readonly requestParameters: unknown;
  readonly responseElements?: unknown;
  readonly additionalEventData?: unknown;
  readonly resources?: readonly Record<string, unknown>[];
  readonly errorCode?: string;
  readonly errorMessage?: string;
  /** Services on the global endpoint (IAM, STS global, sign-in) log `us-east-1` as their region. */
  readonly global?: boolean;
  readonly eventType?: string;
  /** TLS host header when it is not the service's regional endpoint. */
  readonly host?: string;
  /** Console sign-in events carry no requestID. */
  readonly requestId?: false;
}

/** `2024-05-01T12:34:56Z`: CloudTrail's eventTime format (no fractional seconds). */
export function eventTimeText(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** `May 1, 2024, 12:34:56 PM`: how IAM, STS and KMS responses print dates in CloudTrail. */
function responseDate(date: Date): string {
  const h = date.getUTCHours();
  const time = `${h % 12 === 0 ? 12 : h % 12}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} ${h < 12 ? 'AM' : 'PM'}`;
  return `${MONTHS[date.getUTCMonth()]} ${date.getUTCDate()}, ${date.getUTCFullYear()}, ${time}`;
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

// ---------------------------------------------------------------------------------------------
// Callers

function sessionAttributes(ctx: EventContext, mfa: boolean): Record<string, string> {
  const created = new Date(ctx.time.getTime() - ctx.prng.int(60, 3 * 3600) * 1000);
  return { creationDate: eventTimeText(created), mfaAuthenticated: mfa ? 'true' : 'false' };
}

function userCaller(ctx: EventContext, person: Person, viaConsole: boolean): Caller {
  const { account } = ctx.world;
  const arn = `arn:aws:iam::${account}:user/${person.name}`;
  const identity: Record<string, unknown> = {
    type: 'IAMUser',
    principalId: person.principalId,
    arn,
    accountId: account,
    accessKeyId: viaConsole ? ctx.prng.awsId('ASIA', 16) : person.accessKeyId,
    userName: person.name,
  };
  if (viaConsole) identity.sessionContext = { attributes: sessionAttributes(ctx, person.mfa) };
  return {
    identity,
    sourceIPAddress: person.ip,
    userAgent: viaConsole ? 'AWS Internal' : person.cliAgent,
    service: false,
    console: viaConsole,
    arn,
  };
}

function roleCaller(ctx: EventContext, role: RoleInfo, session: string, ip: string, agent: string, viaConsole = false): Caller {
  const { account } = ctx.world;
  const arn = `arn:aws:sts::${account}:assumed-role/${role.name}/${session}`;
  return {
    identity: {
      type: 'AssumedRole',
      principalId: `${role.principalId}:${session}`,
      arn,
      accountId: account,
      accessKeyId: ctx.prng.awsId('ASIA', 16),
      sessionContext: {
        sessionIssuer: {
          type: 'Role',
          principalId: role.principalId,
          arn: `arn:aws:iam::${account}:role${role.path}${role.name}`,
          accountId: account,
          userName: role.name,
        },
        webIdFederationData: {},
        attributes: sessionAttributes(ctx, false),
      },
    },
    sourceIPAddress: ip,
    userAgent: agent,
    service: false,
    console: viaConsole,
    arn,
  };
}

function rootCaller(ctx: EventContext, ip: string, agent: string): Caller {
  const { account } = ctx.world;
  const arn = `arn:aws:iam::${account}:root`;
  return {
    identity: { type: 'Root', principalId: account, arn, accountId: account, accessKeyId: ctx.prng.awsId('ASIA', 16) },
    sourceIPAddress: ip,
    userAgent: agent,
    service: false,
    console: true,
    arn,
  };
}

function serviceCaller(service: string): Caller {
  return {
    identity: { type: 'AWSService', invokedBy: service },
    sourceIPAddress: service,
    userAgent: service,
    service: true,
    console: false,
    arn: service,
  };
}

/** A person in the console through IAM Identity Center (the most common admin path today). */
function ssoAdmin(ctx: EventContext): Caller {
  const person = ctx.prng.pick(ctx.world.people);
  return roleCaller(ctx, ctx.world.roles.sso, `${person.name}@example.com`, person.ip, 'AWS Internal', true);
}

function terraform(ctx: EventContext): Caller {
  return roleCaller(
    ctx,
    ctx.world.roles.terraform,
    `gha-${ctx.prng.int(1000000000, 9999999999)}`,
    `192.0.2.${ctx.prng.int(10, 20)}`,
    'APN/1.0 HashiCorp/1.0 Terraform/1.8.2 (+https://www.terraform.io) terraform-provider-aws/5.47.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.26.1 os/linux lang/go#1.22.2',
  );
}

function anyHumanOrAutomation(ctx: EventContext): Caller {
  const { prng, world } = ctx;
  return prng.weighted<() => Caller>([
    [() => ssoAdmin(ctx), 4],
    [() => terraform(ctx), 3],
    [() => userCaller(ctx, prng.pick(world.people), false), 2],
    [() => userCaller(ctx, world.robot, false), 1],
  ])();
}

// ---------------------------------------------------------------------------------------------
// The envelope

function record(ctx: EventContext, caller: Caller, spec: CallSpec): CloudTrailRecord {
  const { prng, world } = ctx;
  const region = spec.global ? 'us-east-1' : ctx.region;
  const host = spec.host ?? (spec.global ? spec.source : spec.source.replace('.amazonaws.com', `.${region}.amazonaws.com`));
  const r: CloudTrailRecord = {
    eventVersion: prng.chance(0.7) ? '1.09' : '1.08',
    userIdentity: caller.identity,
    eventTime: eventTimeText(ctx.time),
    eventSource: spec.source,
    eventName: spec.name,
    awsRegion: region,
    sourceIPAddress: caller.sourceIPAddress,
    userAgent: caller.userAgent,
  };
  if (spec.errorCode !== undefined) r.errorCode = spec.errorCode;
  if (spec.errorMessage !== undefined) r.errorMessage = spec.errorMessage;
  r.requestParameters = spec.requestParameters;
  r.responseElements = spec.errorCode === undefined ? (spec.responseElements ?? null) : null;
  if (spec.additionalEventData !== undefined) r.additionalEventData = spec.additionalEventData;
  if (spec.requestId !== false) r.requestID = spec.source === 's3.amazonaws.com' ? prng.awsId('', 16) : prng.uuid();
  r.eventID = prng.uuid();
  r.readOnly = spec.readOnly;
  if (spec.resources) r.resources = spec.resources;
  r.eventType = spec.eventType ?? 'AwsApiCall';
  r.managementEvent = true;
  r.recipientAccountId = world.account;
  if (caller.service) r.sharedEventID = prng.uuid();
  r.eventCategory = 'Management';
  if (!caller.service) {
    r.tlsDetails = { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256', clientProvidedHostHeader: host };
  }
  if (caller.console) r.sessionCredentialFromConsole = 'true';
  return r;
}

// ---------------------------------------------------------------------------------------------
// Console sign-in

export type LoginKind = 'success' | 'success_no_mfa' | 'failure' | 'root';

/** A `ConsoleLogin` by `person` (a random one if omitted), from `ip` (the person's own if omitted). */
export function consoleLogin(ctx: EventContext, kind: LoginKind, person?: Person, ip?: string): CloudTrailRecord {
  const { prng, world } = ctx;
  const who = person ?? prng.pick(world.people);
  const from = ip ?? who.ip;
  const mfaUsed = kind === 'success' || (kind === 'root' && prng.chance(0.5));
  const arn = kind === 'root' ? `arn:aws:iam::${world.account}:root` : `arn:aws:iam::${world.account}:user/${who.name}`;
  const identity =
    kind === 'root'
      ? { type: 'Root', principalId: world.account, arn, accountId: world.account, accessKeyId: '' }
      : { type: 'IAMUser', principalId: who.principalId, arn, accountId: world.account, userName: who.name };
  const caller: Caller = { identity, sourceIPAddress: from, userAgent: who.browser, service: false, console: false, arn };
  const mfaDevice = kind === 'root' ? `arn:aws:iam::${world.account}:mfa/root-account-mfa-device` : `arn:aws:iam::${world.account}:mfa/${who.name}`;
  return record(ctx, caller, {
    source: 'signin.amazonaws.com',
    name: 'ConsoleLogin',
    readOnly: false,
    global: true,
    eventType: 'AwsConsoleSignIn',
    host: 'signin.aws.amazon.com',
    requestId: false,
    // A failed sign-in has no errorCode: the reason is in errorMessage and the response says Failure.
    ...(kind === 'failure' ? { errorMessage: 'Failed authentication' } : {}),
    requestParameters: null,
    responseElements: { ConsoleLogin: kind === 'failure' ? 'Failure' : 'Success' },
    additionalEventData: {
      LoginTo: `https://console.aws.amazon.com/console/home?hashArgs=%23&isauthcode=true&state=hashArgsFromTB_us-east-1_${prng.hex(16)}`,
      MobileVersion: 'No',
      ...(mfaUsed ? { MFAIdentifier: mfaDevice } : {}),
      MFAUsed: mfaUsed ? 'Yes' : 'No',
    },
  });
}

// ---------------------------------------------------------------------------------------------
// Security-relevant calls (what the rules and dashboards are about)

const ADMIN_POLICY = 'arn:aws:iam::aws:policy/AdministratorAccess';

type Builder = (ctx: EventContext) => CloudTrailRecord;

const ec2 = 'ec2.amazonaws.com';
const iam = 'iam.amazonaws.com';

export const SECURITY_EVENTS = {
  CreateUser: (ctx) => {
    const name = `svc-${ctx.prng.pick(['backup', 'export', 'sync', 'audit'])}-${ctx.prng.int(1, 99)}`;
    const userId = ctx.prng.awsId('AIDA', 17);
    return record(ctx, anyHumanOrAutomation(ctx), {
      source: iam,
      name: 'CreateUser',
      readOnly: false,
      global: true,
      requestParameters: { userName: name },
      responseElements: {
        user: { path: '/', userName: name, userId, arn: `arn:aws:iam::${ctx.world.account}:user/${name}`, createDate: responseDate(ctx.time) },
      },
    });
  },
  CreateAccessKey: (ctx) => {
    const person = ctx.prng.pick(ctx.world.people);
    return record(ctx, anyHumanOrAutomation(ctx), {
      source: iam,
      name: 'CreateAccessKey',
      readOnly: false,
      global: true,
      requestParameters: { userName: person.name },
      responseElements: {
        accessKey: { userName: person.name, accessKeyId: ctx.prng.awsId('AKIA', 16), status: 'Active', createDate: responseDate(ctx.time) },
      },
    });
  },
  AttachUserPolicy: (ctx) =>
    record(ctx, anyHumanOrAutomation(ctx), {
      source: iam,
      name: 'AttachUserPolicy',
      readOnly: false,
      global: true,
      requestParameters: { userName: ctx.prng.pick(ctx.world.people).name, policyArn: ADMIN_POLICY },
    }),
  DeactivateMFADevice: (ctx) => {
    const person = ctx.prng.pick(ctx.world.people);
    return record(ctx, userCaller(ctx, person, true), {
      source: iam,
      name: 'DeactivateMFADevice',
      readOnly: false,
      global: true,
      requestParameters: { userName: person.name, serialNumber: `arn:aws:iam::${ctx.world.account}:mfa/${person.name}` },
    });
  },
  UpdateAssumeRolePolicy: (ctx) => {
    // IAM logs policy documents as JSON text inside a string, escapes and all.
    const policy = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ctx.prng.int(100000000000, 999999999999)}:root` }, Action: 'sts:AssumeRole' }],
    };
    return record(ctx, anyHumanOrAutomation(ctx), {
      source: iam,
      name: 'UpdateAssumeRolePolicy',
      readOnly: false,
      global: true,
      requestParameters: { roleName: ctx.world.roles.terraform.name, policyDocument: JSON.stringify(policy, null, 2) },
    });
  },
  RunInstances: (ctx) => {
    const instanceId = `i-${ctx.prng.hex(17)}`;
    const imageId = ctx.prng.pick(ctx.world.amis);
    const type = ctx.prng.pick(['t3.micro', 't3.large', 'm7i.xlarge', 'c7g.4xlarge', 'p4d.24xlarge']);
    const subnetId = ctx.prng.pick(ctx.world.subnets);
    return record(ctx, anyHumanOrAutomation(ctx), {
      source: ec2,
      name: 'RunInstances',
      readOnly: false,
      requestParameters: {
        instancesSet: { items: [{ imageId, minCount: 1, maxCount: 1 }] },
        instanceType: type,
        blockDeviceMapping: {},
        monitoring: { enabled: false },
        disableApiTermination: false,
        disableApiStop: false,
        clientToken: ctx.prng.uuid(),
        networkInterfaceSet: { items: [{ deviceIndex: 0, subnetId, associatePublicIpAddress: true }] },
      },
      responseElements: {
        requestId: ctx.prng.uuid(),
        reservationId: `r-${ctx.prng.hex(17)}`,
        ownerId: ctx.world.account,
        groupSet: {},
        instancesSet: {
          items: [
            {
              instanceId,
              imageId,
              currentInstanceBootMode: 'legacy-bios',
              instanceState: { code: 0, name: 'pending' },
              privateDnsName: `ip-10-0-${ctx.prng.int(0, 255)}-${ctx.prng.int(1, 254)}.ec2.internal`,
              amiLaunchIndex: 0,
              productCodes: {},
              instanceType: type,
              launchTime: Date.parse(eventTimeText(ctx.time)),
              placement: { availabilityZone: `${ctx.region}a`, tenancy: 'default' },
              monitoring: { state: 'disabled' },
              subnetId,
            },
          ],
        },
      },
    });
  },
  StartInstances: (ctx) => instanceStateChange(ctx, 'StartInstances', { code: 0, name: 'pending' }, { code: 80, name: 'stopped' }),
  StopInstances: (ctx) => instanceStateChange(ctx, 'StopInstances', { code: 64, name: 'stopping' }, { code: 16, name: 'running' }),
  TerminateInstances: (ctx) => instanceStateChange(ctx, 'TerminateInstances', { code: 32, name: 'shutting-down' }, { code: 16, name: 'running' }),
  CreateSecurityGroup: (ctx) =>
    record(ctx, anyHumanOrAutomation(ctx), {
      source: ec2,
      name: 'CreateSecurityGroup',
      readOnly: false,
      requestParameters: {
        groupName: `quick-access-${ctx.prng.int(1, 999)}`,
        // Non-ASCII on purpose: descriptions are free text, and the pipeline must carry UTF-8.
        groupDescription: ctx.prng.pick(['Temporary SSH access', 'Équipe données – accès SSH', 'デバッグ用アクセス']),
        vpcId: ctx.prng.pick(ctx.world.vpcs),
      },
      responseElements: { requestId: ctx.prng.uuid(), _return: true, groupId: `sg-${ctx.prng.hex(17)}` },
    }),
  AuthorizeSecurityGroupIngress: (ctx) => {
    const port = ctx.prng.pick([22, 3389, 5432, 0]);
    const groupId = ctx.prng.pick(ctx.world.securityGroups);
    const protocol = port === 0 ? '-1' : 'tcp';
    const range = port === 0 ? {} : { fromPort: port, toPort: port };
    return record(ctx, anyHumanOrAutomation(ctx), {
      source: ec2,
      name: 'AuthorizeSecurityGroupIngress',
      readOnly: false,
      requestParameters: {
        groupId,
        ipPermissions: {
          items: [{ ipProtocol: protocol, ...range, groups: {}, ipRanges: { items: [{ cidrIp: '0.0.0.0/0' }] }, ipv6Ranges: {}, prefixListIds: {} }],
        },
      },
      responseElements: {
        requestId: ctx.prng.uuid(),
        _return: true,
        securityGroupRuleSet: {
          items: [
            {
              groupOwnerId: ctx.world.account,
              groupId,
              securityGroupRuleId: `sgr-${ctx.prng.hex(17)}`,
              isEgress: false,
              ipProtocol: protocol,
              fromPort: port === 0 ? -1 : port,
              toPort: port === 0 ? -1 : port,
              cidrIpv4: '0.0.0.0/0',
            },
          ],
        },
      },
    });
  },
  AllocateAddress: (ctx) =>
    record(ctx, anyHumanOrAutomation(ctx), {
      source: ec2,
      name: 'AllocateAddress',
      readOnly: false,
      requestParameters: { domain: 'vpc' },
      responseElements: {
        requestId: ctx.prng.uuid(),
        publicIp: `198.51.100.${ctx.prng.int(2, 254)}`,
        domain: 'vpc',
        allocationId: `eipalloc-${ctx.prng.hex(17)}`,
        networkBorderGroup: ctx.region,
        publicIpv4Pool: 'amazon',
      },
    }),
  AssociateAddress: (ctx) =>
    record(ctx, anyHumanOrAutomation(ctx), {
      source: ec2,
      name: 'AssociateAddress',
      readOnly: false,
      requestParameters: { instanceId: ctx.prng.pick(ctx.world.instances), allocationId: `eipalloc-${ctx.prng.hex(17)}`, allowReassociation: false },
      responseElements: { requestId: ctx.prng.uuid(), _return: true, associationId: `eipassoc-${ctx.prng.hex(17)}` },
    }),
  CreateVpc: (ctx) => {
    const cidrBlock = `10.${ctx.prng.int(1, 254)}.0.0/16`;
    return record(ctx, anyHumanOrAutomation(ctx), {
      source: ec2,
      name: 'CreateVpc',
      readOnly: false,
      requestParameters: { cidrBlock, instanceTenancy: 'default', amazonProvidedIpv6CidrBlock: false },
      responseElements: {
        requestId: ctx.prng.uuid(),
        vpc: {
          vpcId: `vpc-${ctx.prng.hex(17)}`,
          state: 'pending',
          ownerId: ctx.world.account,
          cidrBlock,
          cidrBlockAssociationSet: { items: [{ cidrBlock, associationId: `vpc-cidr-assoc-${ctx.prng.hex(17)}`, cidrBlockState: { state: 'associated' } }] },
          ipv6CidrBlockAssociationSet: {},
          dhcpOptionsId: `dopt-${ctx.prng.hex(17)}`,
          instanceTenancy: 'default',
          tagSet: {},
          isDefault: false,
        },
      },
    });
  },
  DeleteFlowLogs: (ctx) =>
    record(ctx, anyHumanOrAutomation(ctx), {
      source: ec2,
      name: 'DeleteFlowLogs',
      readOnly: false,
      requestParameters: { DeleteFlowLogsRequest: { FlowLogId: { tag: 1, content: ctx.prng.pick(ctx.world.flowLogs) } } },
      responseElements: { DeleteFlowLogsResponse: { xmlns: 'http://ec2.amazonaws.com/doc/2016-11-15/', requestId: ctx.prng.uuid(), unsuccessful: '' } },
    }),
  StopLogging: (ctx) => trailCall(ctx, 'StopLogging'),
  DeleteTrail: (ctx) => trailCall(ctx, 'DeleteTrail'),
  PutBucketPolicy: (ctx) => {
    const bucket = ctx.prng.pick(ctx.world.buckets);
    return record(ctx, anyHumanOrAutomation(ctx), {
      source: 's3.amazonaws.com',
      name: 'PutBucketPolicy',
      readOnly: false,
      requestParameters: {
        bucketPolicy: {
          Version: '2012-10-17',
          Statement: [{ Sid: 'PublicRead', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/*` }],
        },
        bucketName: bucket,
        Host: `${bucket}.s3.${ctx.region}.amazonaws.com`,
        policy: '',
      },
      additionalEventData: s3Additional(ctx),
      resources: [{ accountId: ctx.world.account, type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${bucket}` }],
    });
  },
  GetSecretValue: (ctx) =>
    record(ctx, ctx.prng.chance(0.7) ? lambdaRole(ctx) : anyHumanOrAutomation(ctx), {
      source: 'secretsmanager.amazonaws.com',
      name: 'GetSecretValue',
      readOnly: true,
      requestParameters: { secretId: ctx.prng.pick(ctx.world.secrets) },
    }),
  DisableKey: (ctx) => kmsKeyCall(ctx, 'DisableKey', (keyId) => ({ keyId }), null),
  ScheduleKeyDeletion: (ctx) =>
    kmsKeyCall(ctx, 'ScheduleKeyDeletion', (keyId) => ({ keyId, pendingWindowInDays: 7 }), (keyArn) => ({
      keyId: keyArn,
      deletionDate: responseDate(new Date(ctx.time.getTime() + 7 * 86_400_000)),
      keyState: 'PendingDeletion',
      pendingWindowInDays: 7,
    })),
  DeleteDetector: (ctx) =>
    record(ctx, anyHumanOrAutomation(ctx), {
      source: 'guardduty.amazonaws.com',
      name: 'DeleteDetector',
      readOnly: false,
      requestParameters: { detectorId: ctx.world.detectorId },
      resources: [{ accountId: ctx.world.account, type: 'AWS::GuardDuty::Detector', ARN: `arn:aws:guardduty:${ctx.region}:${ctx.world.account}:detector/${ctx.world.detectorId}` }],
    }),
  StopConfigurationRecorder: (ctx) =>
    record(ctx, anyHumanOrAutomation(ctx), {
      source: 'config.amazonaws.com',
      name: 'StopConfigurationRecorder',
      readOnly: false,
      requestParameters: { configurationRecorderName: 'default' },
    }),
  CreateFunction20150331: (ctx) => {
    const name = `tmp-${ctx.prng.base62(6)}`;
    return record(ctx, anyHumanOrAutomation(ctx), {
      source: 'lambda.amazonaws.com',
      name: 'CreateFunction20150331',
      readOnly: false,
      requestParameters: {
        functionName: name,
        runtime: 'python3.12',
        role: `arn:aws:iam::${ctx.world.account}:role/${ctx.world.roles.lambda.name}`,
        handler: 'app.handler',
        code: {},
        timeout: 30,
        memorySize: 256,
        publish: false,
        packageType: 'Zip',
      },
      responseElements: {
        functionName: name,
        functionArn: `arn:aws:lambda:${ctx.region}:${ctx.world.account}:function:${name}`,
        runtime: 'python3.12',
        handler: 'app.handler',
        codeSize: ctx.prng.int(1000, 90000),
        timeout: 30,
        memorySize: 256,
        version: '$LATEST',
        state: 'Pending',
        stateReasonCode: 'Creating',
        packageType: 'Zip',
        architectures: ['x86_64'],
      },
    });
  },
} satisfies Record<string, Builder>;

export type SecurityEventName = keyof typeof SECURITY_EVENTS;
export const SECURITY_EVENT_NAMES = Object.keys(SECURITY_EVENTS) as SecurityEventName[];
/** IAM calls go to the global endpoint and are logged only with the home region's files. */
export const GLOBAL_SECURITY_EVENTS: ReadonlySet<SecurityEventName> = new Set([
  'CreateUser',
  'CreateAccessKey',
  'AttachUserPolicy',
  'DeactivateMFADevice',
  'UpdateAssumeRolePolicy',
]);

function instanceStateChange(
  ctx: EventContext,
  name: 'StartInstances' | 'StopInstances' | 'TerminateInstances',
  current: { code: number; name: string },
  previous: { code: number; name: string },
): CloudTrailRecord {
  const instanceId = ctx.prng.pick(ctx.world.instances);
  return record(ctx, anyHumanOrAutomation(ctx), {
    source: ec2,
    name,
    readOnly: false,
    requestParameters: { instancesSet: { items: [{ instanceId }] }, ...(name === 'StopInstances' ? { force: false } : {}) },
    responseElements: { requestId: ctx.prng.uuid(), instancesSet: { items: [{ instanceId, currentState: current, previousState: previous }] } },
  });
}

function trailCall(ctx: EventContext, name: 'StopLogging' | 'DeleteTrail'): CloudTrailRecord {
  const trail = `arn:aws:cloudtrail:${ctx.region}:${ctx.world.account}:trail/management-events`;
  return record(ctx, ctx.prng.chance(0.3) ? rootCaller(ctx, ctx.prng.pick(ctx.world.people).ip, 'AWS Internal') : anyHumanOrAutomation(ctx), {
    source: 'cloudtrail.amazonaws.com',
    name,
    readOnly: false,
    requestParameters: { name: trail },
    resources: [{ accountId: ctx.world.account, type: 'AWS::CloudTrail::Trail', ARN: trail }],
  });
}

function kmsKeyCall(
  ctx: EventContext,
  name: string,
  params: (keyId: string) => unknown,
  response: ((keyArn: string) => unknown) | null,
): CloudTrailRecord {
  const keyId = ctx.prng.pick(ctx.world.kmsKeys);
  const keyArn = `arn:aws:kms:${ctx.region}:${ctx.world.account}:key/${keyId}`;
  return record(ctx, anyHumanOrAutomation(ctx), {
    source: 'kms.amazonaws.com',
    name,
    readOnly: false,
    requestParameters: params(keyId),
    responseElements: response ? response(keyArn) : null,
    resources: [{ accountId: ctx.world.account, type: 'AWS::KMS::Key', ARN: keyArn }],
  });
}

function s3Additional(ctx: EventContext): Record<string, unknown> {
  return {
    SignatureVersion: 'SigV4',
    CipherSuite: 'TLS_AES_128_GCM_SHA256',
    bytesTransferredIn: 0,
    AuthenticationMethod: 'AuthHeader',
    'x-amz-id-2': ctx.prng.base62(76),
    bytesTransferredOut: 0,
  };
}

function lambdaRole(ctx: EventContext): Caller {
  const fn = ctx.prng.pick(ctx.world.functions);
  return roleCaller(ctx, ctx.world.roles.lambda, fn, `3.${ctx.prng.int(80, 95)}.${ctx.prng.int(0, 255)}.${ctx.prng.int(1, 254)}`, 'Boto3/1.34.84 md/Botocore#1.34.84 ua/2.0 os/linux#5.10.214-223.800.amzn2.x86_64 md/arch#x86_64 lang/python#3.12.3 md/pyimpl#CPython exec-env/AWS_Lambda_python3.12 cfg/retry-mode#legacy Botocore/1.34.84');
}

// ---------------------------------------------------------------------------------------------
// Denied calls

/** A call refused for lack of permission, as EC2 (`Client.UnauthorizedOperation`) or others (`AccessDenied…`) log it. */
export function deniedCall(ctx: EventContext, home: boolean): CloudTrailRecord {
  const { prng, world } = ctx;
  const caller = prng.chance(0.5)
    ? userCaller(ctx, prng.pick([...world.people, world.robot]), false)
    : roleCaller(ctx, world.roles.readOnly, `${prng.pick(world.people).name}@example.com`, prng.pick(world.people).ip, 'AWS Internal', true);
  const denied = (service: string, action: string, resource: string) =>
    `User: ${caller.arn} is not authorized to perform: ${service}:${action} on resource: ${resource} because no identity-based policy allows the ${service}:${action} action`;
  // Choice 2 is IAM (global); outside the home region draw among the others.
  const choice = home ? prng.int(0, 5) : prng.pick([0, 1, 3, 4, 5]);
  switch (choice) {
    case 0: {
      const resource = `arn:aws:ec2:${ctx.region}:${world.account}:instance/*`;
      return record(ctx, caller, {
        source: ec2,
        name: 'RunInstances',
        readOnly: false,
        errorCode: 'Client.UnauthorizedOperation',
        errorMessage: `You are not authorized to perform this operation. ${denied('ec2', 'RunInstances', resource)}. Encoded authorization failure message: ${prng.base62(180)}`,
        requestParameters: { instancesSet: { items: [{ imageId: prng.pick(world.amis), minCount: 1, maxCount: 1 }] }, instanceType: 't3.micro' },
      });
    }
    case 1:
      return record(ctx, caller, {
        source: ec2,
        name: 'StopInstances',
        readOnly: false,
        errorCode: 'Client.UnauthorizedOperation',
        errorMessage: 'You are not authorized to perform this operation.',
        requestParameters: { instancesSet: { items: [{ instanceId: prng.pick(world.instances) }] }, force: false },
      });
    case 2:
      return record(ctx, caller, {
        source: iam,
        name: 'ListUsers',
        readOnly: true,
        global: true,
        errorCode: 'AccessDenied',
        errorMessage: denied('iam', 'ListUsers', `arn:aws:iam::${world.account}:user/`),
        requestParameters: null,
      });
    case 3: {
      const bucket = prng.pick(world.buckets);
      return record(ctx, caller, {
        source: 's3.amazonaws.com',
        name: 'GetBucketPolicy',
        readOnly: true,
        errorCode: 'AccessDenied',
        errorMessage: 'Access Denied',
        requestParameters: { bucketName: bucket, Host: `${bucket}.s3.${ctx.region}.amazonaws.com`, policy: '' },
        additionalEventData: s3Additional(ctx),
      });
    }
    case 4: {
      const secret = prng.pick(world.secrets);
      return record(ctx, caller, {
        source: 'secretsmanager.amazonaws.com',
        name: 'GetSecretValue',
        readOnly: true,
        errorCode: 'AccessDenied',
        errorMessage: denied('secretsmanager', 'GetSecretValue', `arn:aws:secretsmanager:${ctx.region}:${world.account}:secret:${secret}-${prng.base62(6)}`),
        requestParameters: { secretId: secret },
      });
    }
    default: {
      const role = `arn:aws:iam::${world.account}:role/${world.roles.terraform.name}`;
      return record(ctx, caller, {
        source: 'sts.amazonaws.com',
        name: 'AssumeRole',
        readOnly: true,
        errorCode: 'AccessDenied',
        errorMessage: `User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${role}`,
        requestParameters: { roleArn: role, roleSessionName: 'escalate', durationSeconds: 3600 },
      });
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Everyday noise: mostly read-only Describe/List/Get calls by people, automation and services

/** Builder, weight, and whether it is a global-service call (logged only in the home region's files). */
const NOISE: readonly (readonly [Builder, number, boolean?])[] = [
  [(ctx) => ec2Describe(ctx, 'DescribeInstances', { instancesSet: {}, filterSet: {} }), 12],
  [(ctx) => ec2Describe(ctx, 'DescribeSecurityGroups', { securityGroupSet: {}, securityGroupIdSet: {}, filterSet: {} }), 5],
  [(ctx) => ec2Describe(ctx, 'DescribeVolumes', { volumeSet: {}, filterSet: {} }), 4],
  [(ctx) => ec2Describe(ctx, 'DescribeRegions', { regionSet: {} }), 2],
  [(ctx) => ec2Describe(ctx, 'DescribeVpcs', { vpcSet: {}, filterSet: {} }), 2],
  [
    (ctx) =>
      record(ctx, anyHumanOrAutomation(ctx), {
        source: 's3.amazonaws.com',
        name: 'ListBuckets',
        readOnly: true,
        requestParameters: { Host: `s3.${ctx.region}.amazonaws.com` },
        additionalEventData: s3Additional(ctx),
      }),
    4,
  ],
  [
    (ctx) => {
      const bucket = ctx.prng.pick(ctx.world.buckets);
      const name = ctx.prng.pick(['GetBucketAcl', 'GetBucketLocation', 'GetBucketVersioning', 'GetBucketEncryption']);
      const sub = { GetBucketAcl: 'acl', GetBucketLocation: 'location', GetBucketVersioning: 'versioning', GetBucketEncryption: 'encryption' }[name] ?? 'acl';
      const caller = ctx.prng.chance(0.4) ? serviceCaller('config.amazonaws.com') : anyHumanOrAutomation(ctx);
      return record(ctx, caller, {
        source: 's3.amazonaws.com',
        name,
        readOnly: true,
        requestParameters: { bucketName: bucket, Host: `${bucket}.s3.${ctx.region}.amazonaws.com`, [sub]: '' },
        additionalEventData: s3Additional(ctx),
        resources: [{ accountId: ctx.world.account, type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${bucket}` }],
      });
    },
    6,
  ],
  [(ctx) => iamRead(ctx, 'ListUsers', null), 2, true],
  [(ctx) => iamRead(ctx, 'GetUser', { userName: ctx.prng.pick(ctx.world.people).name }), 2, true],
  [(ctx) => iamRead(ctx, 'ListRoles', null), 2, true],
  [(ctx) => iamRead(ctx, 'GetAccountSummary', null), 1, true],
  [(ctx) => iamRead(ctx, 'ListAttachedUserPolicies', { userName: ctx.prng.pick(ctx.world.people).name }), 1, true],
  [(ctx) => record(ctx, anyHumanOrAutomation(ctx), { source: 'sts.amazonaws.com', name: 'GetCallerIdentity', readOnly: true, requestParameters: null }), 5],
  [(ctx) => serviceAssumeRole(ctx), 10],
  [
    (ctx) => {
      const keyId = ctx.prng.pick(ctx.world.kmsKeys);
      const keyArn = `arn:aws:kms:${ctx.region}:${ctx.world.account}:key/${keyId}`;
      const fn = ctx.prng.pick(ctx.world.functions);
      const decrypt = ctx.prng.chance(0.6);
      return record(ctx, serviceCaller(ctx.prng.pick(['lambda.amazonaws.com', 's3.amazonaws.com', 'secretsmanager.amazonaws.com'])), {
        source: 'kms.amazonaws.com',
        name: decrypt ? 'Decrypt' : 'GenerateDataKey',
        readOnly: true,
        requestParameters: decrypt
          ? { encryptionAlgorithm: 'SYMMETRIC_DEFAULT', encryptionContext: { 'aws:lambda:FunctionArn': `arn:aws:lambda:${ctx.region}:${ctx.world.account}:function:${fn}` } }
          : { keyId, keySpec: 'AES_256', encryptionContext: { 'aws:s3:arn': `arn:aws:s3:::${ctx.prng.pick(ctx.world.buckets)}` } },
        resources: [{ accountId: ctx.world.account, type: 'AWS::KMS::Key', ARN: keyArn }],
      });
    },
    8,
  ],
  [
    (ctx) =>
      record(ctx, anyHumanOrAutomation(ctx), {
        source: 'cloudtrail.amazonaws.com',
        name: ctx.prng.pick(['DescribeTrails', 'GetTrailStatus', 'LookupEvents']),
        readOnly: true,
        requestParameters: { trailNameList: [], includeShadowTrails: true },
      }),
    2,
  ],
  [
    (ctx) => {
      const config = ctx.world.roles.config;
      return record(ctx, roleCaller(ctx, config, 'AWSConfig-Describe', 'config.amazonaws.com', 'config.amazonaws.com'), {
        source: 'config.amazonaws.com',
        name: ctx.prng.pick(['DescribeConfigurationRecorders', 'DescribeConfigurationRecorderStatus', 'DescribeConfigRules']),
        readOnly: true,
        requestParameters: null,
      });
    },
    3,
  ],
  [
    (ctx) =>
      record(ctx, anyHumanOrAutomation(ctx), {
        source: 'guardduty.amazonaws.com',
        name: ctx.prng.pick(['ListDetectors', 'GetDetector', 'ListFindings']),
        readOnly: true,
        requestParameters: ctx.prng.chance(0.5) ? null : { detectorId: ctx.world.detectorId },
      }),
    2,
  ],
  [
    (ctx) =>
      record(ctx, anyHumanOrAutomation(ctx), {
        source: 'secretsmanager.amazonaws.com',
        name: ctx.prng.pick(['ListSecrets', 'DescribeSecret']),
        readOnly: true,
        requestParameters: ctx.prng.chance(0.5) ? null : { secretId: ctx.prng.pick(ctx.world.secrets) },
      }),
    2,
  ],
  [
    (ctx) =>
      record(ctx, lambdaRole(ctx), {
        source: 'ssm.amazonaws.com',
        name: 'GetParameter',
        readOnly: true,
        requestParameters: { name: ctx.prng.pick(ctx.world.parameters), withDecryption: true },
      }),
    6,
  ],
  [
    (ctx) => {
      const instance = ctx.prng.pick(ctx.world.instances);
      return record(ctx, roleCaller(ctx, ctx.world.roles.instance, instance, `10.0.${ctx.prng.int(0, 255)}.${ctx.prng.int(1, 254)}`, 'aws-sdk-go/1.44.260 (go1.21.9; linux; amd64) amazon-ssm-agent/3.3.418.0'), {
        source: 'ssm.amazonaws.com',
        name: 'UpdateInstanceInformation',
        readOnly: false,
        requestParameters: { instanceId: instance, agentVersion: '3.3.418.0', agentStatus: 'Active', platformType: 'Linux', platformName: 'Amazon Linux', platformVersion: '2023', computerName: `ip-10-0-1-${ctx.prng.int(1, 254)}.ec2.internal`, agentName: 'amazon-ssm-agent' },
      });
    },
    6,
  ],
  [
    (ctx) =>
      record(ctx, anyHumanOrAutomation(ctx), {
        source: 'lambda.amazonaws.com',
        name: ctx.prng.chance(0.5) ? 'ListFunctions20150331' : 'GetFunction20150331v2',
        readOnly: true,
        requestParameters: ctx.prng.chance(0.5) ? null : { functionName: ctx.prng.pick(ctx.world.functions) },
      }),
    3,
  ],
];

const REGIONAL_NOISE = NOISE.filter(([, , global]) => !global);

/** One everyday call, drawn by weight; global-service calls only when `home` (the region that logs them). */
export function noiseEvent(ctx: EventContext, home: boolean): CloudTrailRecord {
  return ctx.prng.weighted(home ? NOISE : REGIONAL_NOISE)(ctx);
}

function ec2Describe(ctx: EventContext, name: string, requestParameters: unknown): CloudTrailRecord {
  const caller = ctx.prng.chance(0.2) ? serviceCaller('autoscaling.amazonaws.com') : anyHumanOrAutomation(ctx);
  return record(ctx, caller, { source: ec2, name, readOnly: true, requestParameters });
}

function iamRead(ctx: EventContext, name: string, requestParameters: unknown): CloudTrailRecord {
  return record(ctx, anyHumanOrAutomation(ctx), { source: iam, name, readOnly: true, global: true, requestParameters });
}

function serviceAssumeRole(ctx: EventContext): CloudTrailRecord {
  const { prng, world } = ctx;
  const lambda = prng.chance(0.6);
  const role = lambda ? world.roles.lambda : world.roles.instance;
  const session = lambda ? prng.pick(world.functions) : prng.pick(world.instances);
  const roleArn = `arn:aws:iam::${world.account}:role/${role.name}`;
  const expiration = new Date(ctx.time.getTime() + 12 * 3600 * 1000);
  return record(ctx, serviceCaller(lambda ? 'lambda.amazonaws.com' : 'ec2.amazonaws.com'), {
    source: 'sts.amazonaws.com',
    name: 'AssumeRole',
    readOnly: true,
    requestParameters: { roleArn, roleSessionName: session },
    responseElements: {
      credentials: { accessKeyId: prng.awsId('ASIA', 16), sessionToken: `IQoJb3JpZ2luX2Vj${prng.base62(120)}`, expiration: responseDate(expiration) },
      assumedRoleUser: { assumedRoleId: `${role.principalId}:${session}`, arn: `arn:aws:sts::${world.account}:assumed-role/${role.name}/${session}` },
    },
    resources: [{ accountId: world.account, type: 'AWS::IAM::Role', ARN: roleArn }],
  });
}
