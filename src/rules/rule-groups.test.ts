import { describe, expect, it } from 'vitest';
import { splitGroups } from './rule-groups.js';

describe('splitGroups (rule-language.md §9)', () => {
  it('routes compliance prefixes and keeps order and duplicates', () => {
    expect(splitGroups('amazon,aws,aws_cloudtrail,pci_dss_10.6.1,gdpr_IV_35.7.d,pci_dss_10.6.1,hipaa_164.312.b,nist_800_53_AU.6,tsc_CC7.2,cis_1.1,gpg13_7.1,aws,')).toEqual({
      groups: ['amazon', 'aws', 'aws_cloudtrail', 'aws'],
      pci_dss: ['10.6.1', '10.6.1'],
      gdpr: ['IV_35.7.d'],
      hipaa: ['164.312.b'],
      nist_800_53: ['AU.6'],
      tsc: ['CC7.2'],
      cis: ['1.1'],
      gpg13: ['7.1'],
    });
  });

  it('drops empty tokens and does not trim', () => {
    expect(splitGroups(',a,, b ,')).toEqual({ groups: ['a', ' b '] });
  });

  it('matches prefixes case-sensitively', () => {
    expect(splitGroups('PCI_DSS_1,')).toEqual({ groups: ['PCI_DSS_1'] });
  });

  it('uses only the first 1023 bytes', () => {
    const head = `${'g'.repeat(1020)},`;
    expect(splitGroups(`${head}abcdef,`).groups).toEqual(['g'.repeat(1020), 'ab']);
  });

  it('decodes UTF-8 group names', () => {
    expect(splitGroups('caf\u00c3\u00a9,').groups).toEqual(['café']);
  });
});
