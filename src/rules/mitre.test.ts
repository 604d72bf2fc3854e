import { describe, expect, it } from 'vitest';
import { MitreCatalog, shippedMitreCatalog } from './mitre.js';

const catalog = MitreCatalog.fromJson({
  tactics: { TA0001: 'Initial Access', TA0003: 'Persistence', TA0005: 'Defense Evasion', TA0006: 'Credential Access' },
  techniques: {
    T1078: { name: 'Valid Accounts', tactics: ['TA0005', 'TA0003', 'TA0001'] },
    T1110: { name: 'Brute Force', tactics: ['TA0006'] },
  },
});

describe('MitreCatalog.resolve (rule-language.md §9)', () => {
  it('lists old-form ids as written, with tactic and technique names of the known ones', () => {
    expect(catalog.resolve({ ids: ['T1110', 'T9999', 'T1078'], pairs: [] })).toEqual({
      id: ['T1110', 'T9999', 'T1078'],
      tactic: ['Credential Access', 'Defense Evasion', 'Persistence', 'Initial Access'],
      technique: ['Brute Force', 'Valid Accounts'],
    });
  });

  it('leaves mitre out when no id is known', () => {
    expect(catalog.resolve({ ids: ['T9999'], pairs: [] })).toBeUndefined();
    expect(catalog.resolve({ ids: [], pairs: [] })).toBeUndefined();
  });

  it('keeps only new-form pairs whose technique has that tactic', () => {
    expect(
      catalog.resolve({
        ids: ['T1110'],
        pairs: [
          ['TA0003', 'T1078'],
          ['TA0006', 'T1078'], // not a tactic of T1078
          ['TA0001', 'T1078'], // tactic added, technique already listed
        ],
      }),
    ).toEqual({ id: ['T1078'], tactic: ['Persistence', 'Initial Access'], technique: ['Valid Accounts'] });
  });

  it('refuses a catalog that names an unknown tactic', () => {
    expect(() => MitreCatalog.fromJson({ tactics: {}, techniques: { T1: { name: 'x', tactics: ['TA9'] } } })).toThrow(/unknown tactic/);
  });
});

describe('shipped rules/mitre-attack.json', () => {
  const shipped = shippedMitreCatalog();

  it.each([
    ['T1078', 'Valid Accounts', ['Defense Evasion', 'Persistence', 'Privilege Escalation', 'Initial Access']],
    ['T1078.004', 'Cloud Accounts', ['Defense Evasion', 'Persistence', 'Privilege Escalation', 'Initial Access']],
    ['T1110', 'Brute Force', ['Credential Access']],
    ['T1098', 'Account Manipulation', ['Persistence', 'Privilege Escalation']],
    ['T1098.001', 'Additional Cloud Credentials', ['Persistence', 'Privilege Escalation']],
    ['T1098.003', 'Additional Cloud Roles', ['Persistence', 'Privilege Escalation']],
    ['T1136', 'Create Account', ['Persistence']],
    ['T1562', 'Impair Defenses', ['Defense Evasion']],
    ['T1562.001', 'Disable or Modify Tools', ['Defense Evasion']],
    ['T1562.008', 'Disable or Modify Cloud Logs', ['Defense Evasion']],
    ['T1485', 'Data Destruction', ['Impact']],
    ['T1530', 'Data from Cloud Storage', ['Collection']],
    ['T1537', 'Transfer Data to Cloud Account', ['Exfiltration']],
    ['T1580', 'Cloud Infrastructure Discovery', ['Discovery']],
    ['T1526', 'Cloud Service Discovery', ['Discovery']],
    ['T1552', 'Unsecured Credentials', ['Credential Access']],
    ['T1552.005', 'Cloud Instance Metadata API', ['Credential Access']],
    ['T1531', 'Account Access Removal', ['Impact']],
    ['T1486', 'Data Encrypted for Impact', ['Impact']],
    ['T1548', 'Abuse Elevation Control Mechanism', ['Privilege Escalation', 'Defense Evasion']],
    ['T1190', 'Exploit Public-Facing Application', ['Initial Access']],
    ['T1069', 'Permission Groups Discovery', ['Discovery']],
    ['T1087', 'Account Discovery', ['Discovery']],
    ['T1021', 'Remote Services', ['Lateral Movement']],
    ['T1496', 'Resource Hijacking', ['Impact']],
    ['T1578', 'Modify Cloud Compute Infrastructure', ['Defense Evasion']],
    ['T1535', 'Unused/Unsupported Cloud Regions', ['Defense Evasion']],
    ['T1040', 'Network Sniffing', ['Credential Access', 'Discovery']],
  ])('knows %s (%s)', (id, name, tactics) => {
    const t = shipped.technique(id);
    expect(t?.name).toBe(name);
    expect(t?.tactics.map((x) => x.name)).toEqual(tactics);
  });
});
