// The made-up contents of one demo AWS account: its people, roles and resources, drawn once from
// the seed so every event in that account refers to the same users, instances and buckets.
import type { Prng } from './prng.js';

export interface Person {
  readonly name: string;
  /** `AIDA…` unique id of the IAM user. */
  readonly principalId: string;
  /** Long-term `AKIA…` key for CLI/SDK calls. */
  readonly accessKeyId: string;
  /** Where this person usually works from (documentation ranges, RFC 5737). */
  readonly ip: string;
  readonly cliAgent: string;
  readonly browser: string;
  /** Has an MFA device: console logins without one are what the "no MFA" rules look for. */
  readonly mfa: boolean;
}

export interface RoleInfo {
  readonly name: string;
  /** `AROA…` unique id of the role. */
  readonly principalId: string;
  readonly path: string;
}

export interface AccountWorld {
  readonly account: string;
  readonly people: readonly Person[];
  /** An IAM user for automation (no console). */
  readonly robot: Person;
  readonly roles: {
    readonly sso: RoleInfo;
    readonly readOnly: RoleInfo;
    readonly terraform: RoleInfo;
    readonly lambda: RoleInfo;
    readonly instance: RoleInfo;
    readonly config: RoleInfo;
  };
  readonly instances: readonly string[];
  readonly amis: readonly string[];
  readonly vpcs: readonly string[];
  readonly subnets: readonly string[];
  readonly securityGroups: readonly string[];
  readonly buckets: readonly string[];
  readonly kmsKeys: readonly string[];
  readonly secrets: readonly string[];
  readonly functions: readonly string[];
  readonly parameters: readonly string[];
  readonly detectorId: string;
  readonly flowLogs: readonly string[];
}

const PEOPLE = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi'];
const DOC_NETS = ['192.0.2', '198.51.100', '203.0.113'];
const CLI_AGENTS = [
  'aws-cli/2.15.30 Python/3.11.8 Linux/6.5.0-1016-aws exe/x86_64.ubuntu.22 prompt/off',
  'aws-cli/2.17.12 Python/3.11.9 Darwin/23.5.0 exe/x86_64 prompt/off',
  'Boto3/1.34.84 md/Botocore#1.34.84 ua/2.0 os/linux#6.1.0 md/arch#x86_64 lang/python#3.12.3 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.84',
  'aws-sdk-go-v2/1.26.1 os/linux lang/go#1.22.2 md/GOOS#linux md/GOARCH#amd64 api/ec2#1.156.0',
];
const BROWSERS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Safari/605.1.15',
  'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0',
];

export function buildAccountWorld(prng: Prng, account: string): AccountWorld {
  const person = (name: string): Person => ({
    name,
    principalId: prng.awsId('AIDA', 17),
    accessKeyId: prng.awsId('AKIA', 16),
    ip: `${prng.pick(DOC_NETS)}.${prng.int(2, 254)}`,
    cliAgent: prng.pick(CLI_AGENTS),
    browser: prng.pick(BROWSERS),
    mfa: prng.chance(0.7),
  });
  const role = (name: string, path = '/'): RoleInfo => ({ name, principalId: prng.awsId('AROA', 17), path });
  const ids = (prefix: string, count: number) => Array.from({ length: count }, () => `${prefix}${prng.hex(17)}`);
  const count = prng.int(4, PEOPLE.length);
  return {
    account,
    people: PEOPLE.slice(0, count).map(person),
    robot: { ...person('ci-deploy'), mfa: false, cliAgent: CLI_AGENTS[2] ?? 'Boto3' },
    roles: {
      sso: role(`AWSReservedSSO_AdministratorAccess_${prng.hex(16)}`, '/aws-reserved/sso.amazonaws.com/'),
      readOnly: role(`AWSReservedSSO_ReadOnlyAccess_${prng.hex(16)}`, '/aws-reserved/sso.amazonaws.com/'),
      terraform: role('terraform-deployer'),
      lambda: role('orders-api-lambda-exec'),
      instance: role('app-server-instance-role'),
      config: role('AWSServiceRoleForConfig', '/aws-service-role/config.amazonaws.com/'),
    },
    instances: ids('i-', prng.int(3, 8)),
    amis: ids('ami-', 3),
    vpcs: ids('vpc-', 2),
    subnets: ids('subnet-', 4),
    securityGroups: ids('sg-', 5),
    buckets: ['logs', 'assets', 'backups', 'data-lake'].map((name) => `acme-${name}-${account}`),
    kmsKeys: Array.from({ length: 3 }, () => prng.uuid()),
    secrets: ['prod/orders/db-password', 'prod/payments/api-key', 'staging/orders/db-password'],
    functions: ['orders-api', 'thumbnailer', 'nightly-report'],
    parameters: ['/orders/prod/db-host', '/orders/prod/feature-flags', '/shared/ami-id'],
    detectorId: prng.hex(32),
    flowLogs: ids('fl-', 2),
  };
}
