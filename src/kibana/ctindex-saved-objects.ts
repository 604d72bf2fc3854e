// The content of kibana-saved-objects/ctindex.ndjson: the ctindex data view, a saved search of
// alerts, and five dashboards of Lens charts over the event documents the ECS mapper writes.
// The committed file is this module's output; test/unit/saved-objects.test.ts fails when they differ.
import { dashboardObject, type DashboardSpec } from './dashboard.js';
import { lensObject, type BucketSpec, type CountSpec, type LensField, type LensSpec } from './lens.js';
import { savedObject, toExportNdjson, type SavedObject } from './saved-object.js';

/** Stable id: a re-import overwrites the data view instead of adding a second one. */
export const DATA_VIEW_ID = 'ctindex-cloudtrail';
/** Matches every namespace's data stream `ctindex-cloudtrail-<namespace>`. */
export const DATA_VIEW_PATTERN = 'ctindex-cloudtrail*';

/**
 * Alerts are events whose rule level reaches Wazuh's default `log_alert_level` (3, ossec.conf):
 * lower levels are recorded but not alerted on (rule-language.md §2.5).
 */
export const ALERT_KQL = 'rule.level >= 3';

const field = (name: string, dataType: LensField['dataType']): LensField => ({ name, dataType });
const F = {
  timestamp: field('@timestamp', 'date'),
  action: field('event.action', 'string'),
  provider: field('event.provider', 'string'),
  outcome: field('event.outcome', 'string'),
  account: field('cloud.account.id', 'string'),
  region: field('cloud.region', 'string'),
  sourceIp: field('source.ip', 'ip'),
  user: field('user.name', 'string'),
  targetUser: field('user.target.name', 'string'),
  errorCode: field('aws.cloudtrail.error_code', 'string'),
  ruleId: field('rule.id', 'string'),
  ruleLevel: field('rule.level', 'number'),
  ruleDescription: field('rule.description', 'string'),
  ruleGroups: field('rule.groups', 'string'),
  pciDss: field('rule.pci_dss', 'string'),
  gdpr: field('rule.gdpr', 'string'),
  hipaa: field('rule.hipaa', 'string'),
  nist: field('rule.nist_800_53', 'string'),
  tsc: field('rule.tsc', 'string'),
  mitreId: field('rule.mitre.id', 'string'),
  mitreTechnique: field('rule.mitre.technique', 'string'),
  mitreTactic: field('rule.mitre.tactic', 'string'),
} as const;

const overTime: BucketSpec = { op: 'date_histogram', field: F.timestamp };
const top = (f: LensField, size: number, label?: string): BucketSpec => ({ op: 'terms', field: f, size, ...(label === undefined ? {} : { label }) });
const EVENTS: CountSpec = { label: 'Events' };
const ALERTS: CountSpec = { label: 'Alerts', kql: ALERT_KQL };

// Queries shared by several charts.
const CONSOLE_LOGIN = 'event.provider: signin.amazonaws.com and event.action: ConsoleLogin';
/** Every flavour of authorization failure CloudTrail reports: AccessDenied, AccessDeniedException, Client.UnauthorizedOperation, … */
const DENIED = 'aws.cloudtrail.error_code: (*AccessDenied* or *Unauthorized*)';
const EC2_UNAUTHORIZED = 'event.provider: ec2.amazonaws.com and aws.cloudtrail.error_code: (Client.UnauthorizedOperation or UnauthorizedOperation)';

function lens(spec: LensSpec): SavedObject {
  return lensObject(spec, DATA_VIEW_ID);
}

const dataView = savedObject(
  'index-pattern',
  DATA_VIEW_ID,
  {
    title: DATA_VIEW_PATTERN,
    name: 'ctindex CloudTrail events',
    timeFieldName: F.timestamp.name,
    fields: '[]',
    fieldAttrs: '{}',
    fieldFormatMap: '{}',
    runtimeFieldMap: '{}',
    sourceFilters: '[]',
  },
  [],
);

export const ALERT_SEARCH_COLUMNS = [
  'rule.id',
  'rule.level',
  'rule.description',
  'event.action',
  'user.name',
  'source.ip',
  'cloud.account.id',
  'cloud.region',
  'aws.cloudtrail.error_code',
] as const;

const alertsSearch = savedObject(
  'search',
  'ctindex-search-alerts',
  {
    title: '[ctindex] CloudTrail alerts',
    description: `CloudTrail events whose rule level is 3 or more (Wazuh's default log_alert_level), newest first.`,
    columns: [...ALERT_SEARCH_COLUMNS],
    sort: [[F.timestamp.name, 'desc']],
    grid: {},
    hideChart: false,
    isTextBasedQuery: false,
    timeRestore: false,
    kibanaSavedObjectMeta: {
      searchSourceJSON: JSON.stringify({
        query: { query: ALERT_KQL, language: 'kuery' },
        filter: [],
        indexRefName: 'kibanaSavedObjectMeta.searchSourceJSON.index',
      }),
    },
  },
  [{ name: 'kibanaSavedObjectMeta.searchSourceJSON.index', type: 'index-pattern', id: DATA_VIEW_ID }],
);

// ---- Overview ---------------------------------------------------------------------------------

const eventsCount = lens({ id: 'ctindex-lens-events-count', title: 'Events', description: 'CloudTrail events indexed.', kql: '', chart: 'metric', metric: EVENTS });
const alertsCount = lens({ id: 'ctindex-lens-alerts-count', title: 'Alerts', description: 'Events with rule level 3 or more.', kql: '', chart: 'metric', metric: ALERTS });
const failedCallsCount = lens({
  id: 'ctindex-lens-failed-calls-count',
  title: 'Failed API calls',
  description: 'Events whose outcome is failure (an error code or a failed console login).',
  kql: '',
  chart: 'metric',
  metric: { label: 'Failed calls', kql: 'event.outcome: failure' },
});
const eventsAlertsOverTime = lens({
  id: 'ctindex-lens-events-alerts-over-time',
  title: 'Events and alerts over time',
  description: '',
  kql: '',
  chart: 'xy',
  seriesType: 'line',
  x: overTime,
  metrics: [EVENTS, ALERTS],
});
const alertsByLevel = lens({
  id: 'ctindex-lens-alerts-by-level',
  title: 'Alerts by level',
  description: 'Rule levels 3 to 16; 12 and more are the high-severity ones.',
  kql: ALERT_KQL,
  chart: 'xy',
  seriesType: 'bar',
  x: { op: 'terms', field: F.ruleLevel, size: 16, orderBy: 'key', label: 'Rule level' },
  metrics: [ALERTS],
});
const topRules = lens({
  id: 'ctindex-lens-top-rules',
  title: 'Top alerting rules',
  description: '',
  kql: ALERT_KQL,
  chart: 'table',
  rows: [top(F.ruleId, 20, 'Rule'), top(F.ruleLevel, 1, 'Level'), top(F.ruleDescription, 1, 'Description')],
  metrics: [ALERTS],
});
const topUsers = lens({ id: 'ctindex-lens-top-users', title: 'Top users', description: '', kql: '', chart: 'table', rows: [top(F.user, 10, 'User')], metrics: [EVENTS, ALERTS] });
const topSourceIps = lens({
  id: 'ctindex-lens-top-source-ips',
  title: 'Top source IPs',
  description: 'Calls made by AWS services on your behalf have no source IP and are not counted.',
  kql: '',
  chart: 'table',
  rows: [top(F.sourceIp, 10, 'Source IP')],
  metrics: [EVENTS, ALERTS],
});
const accountsRegions = lens({
  id: 'ctindex-lens-accounts-regions',
  title: 'Top accounts and regions',
  description: '',
  kql: '',
  chart: 'table',
  rows: [top(F.account, 10, 'Account'), top(F.region, 10, 'Region')],
  metrics: [EVENTS, ALERTS],
});
const errorsByCode = lens({
  id: 'ctindex-lens-errors-by-code',
  title: 'Errors by code',
  description: '',
  kql: 'aws.cloudtrail.error_code: *',
  chart: 'xy',
  seriesType: 'bar_horizontal',
  x: top(F.errorCode, 15, 'Error code'),
  metrics: [EVENTS],
});

const overview: DashboardSpec = {
  id: 'ctindex-dashboard-overview',
  title: '[ctindex] CloudTrail overview',
  description: 'Activity and alerts across all accounts and regions. Alerts are events whose rule level is 3 or more.',
  timeFrom: 'now-7d',
  panels: [
    { object: eventsCount, w: 16, h: 7 },
    { object: alertsCount, w: 16, h: 7 },
    { object: failedCallsCount, w: 16, h: 7 },
    { object: eventsAlertsOverTime, w: 32, h: 14 },
    { object: alertsByLevel, w: 16, h: 14 },
    { object: topRules, w: 48, h: 16 },
    { object: topUsers, w: 16, h: 15 },
    { object: topSourceIps, w: 16, h: 15 },
    { object: accountsRegions, w: 16, h: 15 },
    { object: errorsByCode, w: 48, h: 14 },
    { object: alertsSearch, w: 48, h: 20 },
  ],
};

// ---- Authentication ---------------------------------------------------------------------------

const loginsOverTime = lens({
  id: 'ctindex-lens-console-logins-over-time',
  title: 'Console logins: success and failure',
  description: '',
  kql: CONSOLE_LOGIN,
  chart: 'xy',
  seriesType: 'bar_stacked',
  x: overTime,
  split: {
    op: 'filters',
    label: 'Outcome',
    filters: [
      { label: 'Success', kql: 'event.outcome: success' },
      { label: 'Failure', kql: 'event.outcome: failure' },
    ],
  },
  metrics: [{ label: 'Console logins' }],
});
const failedLoginsCount = lens({
  id: 'ctindex-lens-failed-logins-count',
  title: 'Failed console logins',
  description: '',
  kql: `${CONSOLE_LOGIN} and event.outcome: failure`,
  chart: 'metric',
  metric: { label: 'Failed logins' },
});
const breakinCount = lens({
  id: 'ctindex-lens-breakin-attempts-count',
  title: 'Possible break-in attempts',
  description: 'Rule 80803: repeated failed console logins within 6 minutes.',
  kql: 'rule.id: 80803',
  chart: 'metric',
  metric: { label: 'Break-in attempts' },
});
const noMfaCount = lens({
  id: 'ctindex-lens-no-mfa-logins-count',
  title: 'Console logins without MFA',
  description: 'Rules 180011 (root) and 180012 (IAM user).',
  kql: 'rule.id: (180011 or 180012)',
  chart: 'metric',
  metric: { label: 'Logins without MFA' },
});
const rootLoginsCount = lens({
  id: 'ctindex-lens-root-logins-count',
  title: 'Root account console logins',
  description: 'Rules 180010 and 180011.',
  kql: 'rule.id: (180010 or 180011)',
  chart: 'metric',
  metric: { label: 'Root logins' },
});
const breakinTable = lens({
  id: 'ctindex-lens-breakin-attempts',
  title: 'Possible break-in attempts (rule 80803)',
  description: '',
  kql: 'rule.id: 80803',
  chart: 'table',
  rows: [top(F.sourceIp, 20, 'Source IP'), top(F.user, 5, 'User')],
  metrics: [{ label: 'Alerts' }],
});
const failedLoginsTable = lens({
  id: 'ctindex-lens-failed-logins',
  title: 'Failed console logins by user and source',
  description: '',
  kql: `${CONSOLE_LOGIN} and event.outcome: failure`,
  chart: 'table',
  rows: [top(F.user, 20, 'User'), top(F.sourceIp, 5, 'Source IP')],
  metrics: [{ label: 'Failed logins' }],
});
const noMfaTable = lens({
  id: 'ctindex-lens-no-mfa-logins',
  title: 'Console logins without MFA',
  description: 'Rules 180011 (root) and 180012 (IAM user). Federated and SSO sessions are not counted: they never report MFA.',
  kql: 'rule.id: (180011 or 180012)',
  chart: 'table',
  rows: [top(F.user, 20, 'User'), top(F.account, 5, 'Account'), top(F.sourceIp, 5, 'Source IP')],
  metrics: [{ label: 'Logins' }],
});
const rootLoginsTable = lens({
  id: 'ctindex-lens-root-logins',
  title: 'Root account console logins',
  description: 'Rules 180010 and 180011.',
  kql: 'rule.id: (180010 or 180011)',
  chart: 'table',
  rows: [top(F.account, 20, 'Account'), top(F.sourceIp, 5, 'Source IP'), top(F.ruleId, 2, 'Rule')],
  metrics: [{ label: 'Logins' }],
});

const authentication: DashboardSpec = {
  id: 'ctindex-dashboard-authentication',
  title: '[ctindex] CloudTrail authentication',
  description: 'AWS console sign-in: failures, break-in attempts (80803), logins without MFA and root logins.',
  timeFrom: 'now-7d',
  panels: [
    { object: failedLoginsCount, w: 12, h: 7 },
    { object: breakinCount, w: 12, h: 7 },
    { object: noMfaCount, w: 12, h: 7 },
    { object: rootLoginsCount, w: 12, h: 7 },
    { object: loginsOverTime, w: 48, h: 14 },
    { object: breakinTable, w: 24, h: 15 },
    { object: failedLoginsTable, w: 24, h: 15 },
    { object: noMfaTable, w: 24, h: 15 },
    { object: rootLoginsTable, w: 24, h: 15 },
  ],
};

// ---- IAM --------------------------------------------------------------------------------------

const IAM = 'event.provider: iam.amazonaws.com';
const iamAlertsByDescription = lens({
  id: 'ctindex-lens-iam-alerts-by-description',
  title: 'IAM alerts by rule',
  description: '',
  kql: `${IAM} and ${ALERT_KQL}`,
  chart: 'pie',
  shape: 'donut',
  groups: [top(F.ruleDescription, 10, 'Rule')],
  metric: ALERTS,
});
const iamGroupsOverTime = lens({
  id: 'ctindex-lens-iam-rule-groups-over-time',
  title: 'IAM events by rule group',
  description: '',
  kql: IAM,
  chart: 'xy',
  seriesType: 'bar_stacked',
  x: overTime,
  split: top(F.ruleGroups, 10, 'Rule group'),
  metrics: [EVENTS],
});
const usersCreatedCount = lens({
  id: 'ctindex-lens-users-created-count',
  title: 'IAM users created',
  description: 'Rule 80861.',
  kql: 'rule.id: 80861',
  chart: 'metric',
  metric: { label: 'Users created' },
});
const userCreationDeniedCount = lens({
  id: 'ctindex-lens-user-creation-denied-count',
  title: 'IAM user creations denied',
  description: 'Rule 80862.',
  kql: 'rule.id: 80862',
  chart: 'metric',
  metric: { label: 'Denied' },
});
const deniedCount = lens({
  id: 'ctindex-lens-denied-calls-count',
  title: 'Denied API calls',
  description: 'All services.',
  kql: DENIED,
  chart: 'metric',
  metric: { label: 'Denied calls' },
});
const usersCreated = lens({
  id: 'ctindex-lens-users-created',
  title: 'IAM users created',
  description: 'Rule 80861, and 80862 when the creation was denied.',
  kql: 'rule.id: (80861 or 80862)',
  chart: 'table',
  rows: [top(F.targetUser, 20, 'User'), top(F.user, 5, 'Created by'), top(F.account, 5, 'Account'), top(F.outcome, 2, 'Outcome')],
  metrics: [{ label: 'Calls' }],
});
const iamChanges = lens({
  id: 'ctindex-lens-iam-changes',
  title: 'IAM changes',
  description: 'IAM calls other than reads (Get*, List*, Generate*, Simulate*).',
  kql: `${IAM} and not event.action: (Get* or List* or Generate* or Simulate*)`,
  chart: 'table',
  rows: [top(F.action, 20, 'Action'), top(F.user, 5, 'User')],
  metrics: [EVENTS, ALERTS],
});
const deniedTable = lens({
  id: 'ctindex-lens-denied-calls',
  title: 'Denied API calls',
  description: 'AccessDenied and UnauthorizedOperation errors in every service.',
  kql: DENIED,
  chart: 'table',
  rows: [top(F.user, 20, 'User'), top(F.action, 5, 'Action'), top(F.errorCode, 3, 'Error code')],
  metrics: [{ label: 'Denied calls' }],
});
const deniedOverTime = lens({
  id: 'ctindex-lens-denied-calls-over-time',
  title: 'Denied API calls over time, by service',
  description: '',
  kql: DENIED,
  chart: 'xy',
  seriesType: 'bar_stacked',
  x: overTime,
  split: top(F.provider, 8, 'Service'),
  metrics: [{ label: 'Denied calls' }],
});

const iam: DashboardSpec = {
  id: 'ctindex-dashboard-iam',
  title: '[ctindex] CloudTrail IAM',
  description: 'IAM alerts and changes, users created (80861/80862) and API calls denied in any service.',
  timeFrom: 'now-7d',
  panels: [
    { object: usersCreatedCount, w: 16, h: 7 },
    { object: userCreationDeniedCount, w: 16, h: 7 },
    { object: deniedCount, w: 16, h: 7 },
    { object: iamAlertsByDescription, w: 20, h: 16 },
    { object: iamGroupsOverTime, w: 28, h: 16 },
    { object: usersCreated, w: 24, h: 15 },
    { object: iamChanges, w: 24, h: 15 },
    { object: deniedOverTime, w: 24, h: 15 },
    { object: deniedTable, w: 24, h: 15 },
  ],
};

// ---- EC2 and VPC ------------------------------------------------------------------------------

const EC2 = 'event.provider: ec2.amazonaws.com';
const instancesOverTime = lens({
  id: 'ctindex-lens-ec2-instances-over-time',
  title: 'EC2 instances run, started, stopped and terminated',
  description: 'Rules 80301, 80305 and 80308 (80303, 80306, 80309 when unauthorized).',
  kql: EC2,
  chart: 'xy',
  seriesType: 'bar_stacked',
  x: overTime,
  split: {
    op: 'filters',
    label: 'Action',
    filters: [
      { label: 'Run', kql: 'event.action: RunInstances' },
      { label: 'Start', kql: 'event.action: StartInstances' },
      { label: 'Stop', kql: 'event.action: StopInstances' },
      { label: 'Terminate', kql: 'event.action: TerminateInstances' },
    ],
  },
  metrics: [{ label: 'Calls' }],
});
const ec2UnauthorizedCount = lens({
  id: 'ctindex-lens-ec2-unauthorized-count',
  title: 'Unauthorized EC2 and VPC operations',
  description: 'Rules 80303, 80306, 80309, 81001 and every other EC2 call refused with UnauthorizedOperation.',
  kql: EC2_UNAUTHORIZED,
  chart: 'metric',
  metric: { label: 'Unauthorized' },
});
const activityTable = (id: string, title: string, description: string, actions: readonly string[]) =>
  lens({
    id,
    title,
    description,
    kql: `${EC2} and event.action: (${actions.join(' or ')})`,
    chart: 'table',
    rows: [top(F.action, actions.length, 'Action'), top(F.user, 10, 'User'), top(F.region, 5, 'Region')],
    metrics: [EVENTS, ALERTS],
  });
const securityGroups = activityTable('ctindex-lens-ec2-security-groups', 'Security group changes', 'Rule 80404 (CreateSecurityGroup), 180200 and 180201 (ingress rules).', [
  'CreateSecurityGroup',
  'DeleteSecurityGroup',
  'AuthorizeSecurityGroupIngress',
  'AuthorizeSecurityGroupEgress',
  'RevokeSecurityGroupIngress',
  'RevokeSecurityGroupEgress',
  'ModifySecurityGroupRules',
]);
const elasticIps = activityTable('ctindex-lens-ec2-elastic-ips', 'Elastic IP addresses', 'Rules 80411 (AllocateAddress) and 80446 (AssociateAddress).', [
  'AllocateAddress',
  'AssociateAddress',
  'DisassociateAddress',
  'ReleaseAddress',
]);
const vpcs = activityTable('ctindex-lens-ec2-vpcs', 'VPC changes', 'Rules 81000 (CreateVpc) and 81001 (unauthorized).', [
  'CreateVpc',
  'DeleteVpc',
  'ModifyVpcAttribute',
  'CreateVpcPeeringConnection',
  'AcceptVpcPeeringConnection',
  'DeleteFlowLogs',
]);
const ec2Unauthorized = lens({
  id: 'ctindex-lens-ec2-unauthorized',
  title: 'Unauthorized EC2 and VPC operations',
  description: 'Rules 80303, 80306, 80309 and 81001, and every other EC2 call refused with UnauthorizedOperation.',
  kql: EC2_UNAUTHORIZED,
  chart: 'table',
  rows: [top(F.action, 20, 'Action'), top(F.user, 5, 'User'), top(F.sourceIp, 5, 'Source IP')],
  metrics: [{ label: 'Calls' }],
});
const ec2AlertsByRule = lens({
  id: 'ctindex-lens-ec2-alerts-by-rule',
  title: 'EC2 and VPC alerts by rule',
  description: '',
  kql: `${EC2} and ${ALERT_KQL}`,
  chart: 'pie',
  shape: 'donut',
  groups: [top(F.ruleDescription, 10, 'Rule')],
  metric: ALERTS,
});

const ec2Vpc: DashboardSpec = {
  id: 'ctindex-dashboard-ec2-vpc',
  title: '[ctindex] CloudTrail EC2 and VPC',
  description: 'Instance runs, starts and stops, security groups, Elastic IPs, VPCs and unauthorized operations.',
  timeFrom: 'now-7d',
  panels: [
    { object: ec2UnauthorizedCount, w: 12, h: 14 },
    { object: instancesOverTime, w: 36, h: 14 },
    { object: securityGroups, w: 24, h: 15 },
    { object: elasticIps, w: 24, h: 15 },
    { object: vpcs, w: 24, h: 15 },
    { object: ec2Unauthorized, w: 24, h: 15 },
    { object: ec2AlertsByRule, w: 24, h: 16 },
  ],
};

// ---- Compliance -------------------------------------------------------------------------------

const byRequirement = (id: string, title: string, f: LensField, size: number) =>
  lens({ id, title, description: 'Alerts (rule level 3 or more) by the requirement their rule maps to.', kql: ALERT_KQL, chart: 'xy', seriesType: 'bar_horizontal', x: top(f, size, 'Requirement'), metrics: [ALERTS] });
const pciDss = byRequirement('ctindex-lens-alerts-by-pci-dss', 'Alerts by PCI DSS requirement', F.pciDss, 20);
const gdpr = byRequirement('ctindex-lens-alerts-by-gdpr', 'Alerts by GDPR article', F.gdpr, 10);
const hipaa = byRequirement('ctindex-lens-alerts-by-hipaa', 'Alerts by HIPAA section', F.hipaa, 10);
const nist = byRequirement('ctindex-lens-alerts-by-nist-800-53', 'Alerts by NIST 800-53 control', F.nist, 15);
const tsc = byRequirement('ctindex-lens-alerts-by-tsc', 'Alerts by TSC criterion', F.tsc, 10);
const pciDssOverTime = lens({
  id: 'ctindex-lens-pci-dss-over-time',
  title: 'PCI DSS alerts over time',
  description: '',
  kql: ALERT_KQL,
  chart: 'xy',
  seriesType: 'bar_stacked',
  x: overTime,
  split: top(F.pciDss, 10, 'Requirement'),
  metrics: [ALERTS],
});
const mitreTechniques = lens({
  id: 'ctindex-lens-alerts-by-mitre-technique',
  title: 'Alerts by MITRE ATT&CK technique',
  description: '',
  kql: ALERT_KQL,
  chart: 'table',
  rows: [top(F.mitreId, 20, 'Technique id'), top(F.mitreTechnique, 1, 'Technique')],
  metrics: [ALERTS],
});
const mitreTactics = lens({
  id: 'ctindex-lens-alerts-by-mitre-tactic',
  title: 'Alerts by MITRE ATT&CK tactic',
  description: '',
  kql: ALERT_KQL,
  chart: 'pie',
  shape: 'donut',
  groups: [top(F.mitreTactic, 10, 'Tactic')],
  metric: ALERTS,
});

const compliance: DashboardSpec = {
  id: 'ctindex-dashboard-compliance',
  title: '[ctindex] CloudTrail compliance',
  description: 'Alerts by PCI DSS, GDPR, HIPAA, NIST 800-53 and TSC requirement, and by MITRE ATT&CK technique and tactic.',
  timeFrom: 'now-30d',
  panels: [
    { object: pciDss, w: 24, h: 18 },
    { object: pciDssOverTime, w: 24, h: 18 },
    { object: gdpr, w: 16, h: 14 },
    { object: hipaa, w: 16, h: 14 },
    { object: tsc, w: 16, h: 14 },
    { object: nist, w: 16, h: 16 },
    { object: mitreTechniques, w: 20, h: 16 },
    { object: mitreTactics, w: 12, h: 16 },
  ],
};

/** Every object, referenced ones before the objects that reference them (the order of an export). */
export function buildCtindexSavedObjects(): SavedObject[] {
  const dashboards = [overview, authentication, iam, ec2Vpc, compliance];
  // A chart may sit on several dashboards; it is exported once.
  const panelObjects = new Map(dashboards.flatMap((d) => d.panels.map((p): [string, SavedObject] => [p.object.id, p.object])));
  return [dataView, ...panelObjects.values(), ...dashboards.map(dashboardObject)];
}

/** The exact text of kibana-saved-objects/ctindex.ndjson. */
export function renderCtindexSavedObjects(): string {
  return toExportNdjson(buildCtindexSavedObjects());
}
