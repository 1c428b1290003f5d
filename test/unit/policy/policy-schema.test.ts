import {
  PolicyError,
  effectiveMode,
  inScope,
  normalizeRegion,
  overrideOf,
  parsePolicy,
  placementFor,
} from '../../../src/policy/policy-schema';
import { DNS_SUB, SUB, policyInput, subnetId, vnetId } from './builders';

function problems(input: unknown): string[] {
  try {
    parsePolicy(input);
  } catch (e) {
    expect(e).toBeInstanceOf(PolicyError);
    const err = e as PolicyError;
    for (const issue of err.issues) expect(err.message).toContain(issue);
    return err.issues;
  }
  throw new Error('expected the policy to be rejected');
}

describe('parsePolicy', () => {
  it('applies defaults to a minimal policy', () => {
    const p = parsePolicy({ scopes: { subscriptions: [SUB] }, dnsZones: { subscriptionId: DNS_SUB, resourceGroup: 'rg-dns' } });
    expect(p).toEqual({
      version: 1,
      cloud: 'AzureCloud',
      scopes: { subscriptions: [SUB] },
      mode: 'audit',
      endpointPlacement: {},
      dnsZones: { subscriptionId: DNS_SUB, resourceGroup: 'rg-dns' },
      consumerVirtualNetworks: [],
      publicNetworkAccess: 'Disabled',
      onLastEndpointDeleted: 'recreate-endpoint',
      connectionApproval: { mode: 'leave' },
      geoReplication: 'manual',
      allowBasicTierEndpointRecreate: false,
      overrideTag: 'privatelink-autopilot',
      approvals: {},
      maintenanceWindows: [],
      migration: { soakHours: 168, clientsClusterAware: false, dataMigration: 'none', cutoverReminderMinutes: 1440 },
    });
  });

  it('accepts JSON text (app setting) and normalises placement regions', () => {
    const text = JSON.stringify(
      policyInput({
        endpointPlacement: { 'East US': { subnetId: subnetId('vnet-hub') }, westeurope: { subnetId: subnetId('vnet-we'), location: 'North Europe' } },
        connectionApproval: { mode: 'approve-listed', subscriptions: [SUB] },
      }),
    );
    const p = parsePolicy(text);
    expect(p.endpointPlacement).toEqual({
      eastus: { subnetId: subnetId('vnet-hub'), location: 'eastus' },
      westeurope: { subnetId: subnetId('vnet-we'), location: 'northeurope' },
    });
    expect(p.connectionApproval).toEqual({ mode: 'approve-listed', subscriptions: [SUB], rejectUnlisted: true });
    expect(p.mode).toBe('enforce');
  });

  it('lists every problem with its path', () => {
    const issues = problems({
      scopes: { subscriptions: ['not-a-guid', SUB] },
      mode: 'fix-everything',
      endpointPlacement: { eastus: { subnetId: vnetId('vnet-hub') } },
      dnsZones: { subscriptionId: DNS_SUB, resourceGroup: 'rg.' },
      consumerVirtualNetworks: [subnetId('vnet-x')],
      publicNetworkAccess: 'disabled',
      onLastEndpointDeleted: 'panic',
      connectionApproval: { mode: 'approve-listed', subscriptions: [] },
      geoReplication: 'auto',
      extra: true,
    });
    expect(issues).toEqual([
      'scopes.subscriptions[0]: subscription must be a GUID',
      "mode: mode must be 'audit' or 'enforce'",
      expect.stringMatching(/^endpointPlacement\.eastus\.subnetId: subnetId must be a Microsoft\.Network\/virtualNetworks\/subnets id: .*type is 'Microsoft\.Network\/virtualNetworks'/),
      'dnsZones.resourceGroup: resourceGroup must not end with a period',
      expect.stringMatching(/^consumerVirtualNetworks\[0\]: virtual network must be a Microsoft\.Network\/virtualNetworks id/),
      "publicNetworkAccess: publicNetworkAccess must be 'Enabled' or 'Disabled'",
      "onLastEndpointDeleted: onLastEndpointDeleted must be 'enable-public-access', 'recreate-endpoint' or 'report-only'",
      'connectionApproval.subscriptions: list at least one subscription',
      "geoReplication: geoReplication must be 'manual' or 'unlink-and-relink'",
      "extra: unknown key 'extra'",
    ]);
  });

  it('names missing required sections', () => {
    expect(problems({})).toEqual([
      'scopes: scopes is required: { "subscriptions": ["<guid>"] }',
      'dnsZones: dnsZones is required: { "subscriptionId": "<guid>", "resourceGroup": "<name>" } (where the private DNS zones live)',
    ]);
    expect(problems({ scopes: { subscriptions: [] }, dnsZones: { resourceGroup: 'rg' } })).toEqual([
      'scopes.subscriptions: list at least one subscription',
      'dnsZones.subscriptionId: subscriptionId is required',
    ]);
  });

  it('rejects duplicate regions, duplicate consumer VNets, bad nested keys and bad JSON', () => {
    expect(
      problems(policyInput({ endpointPlacement: { eastus: { subnetId: subnetId('a') }, 'East US': { subnetId: subnetId('b') } } })),
    ).toEqual(["endpointPlacement.East US: region 'East US' is the same region as 'eastus'"]);
    expect(problems(policyInput({ consumerVirtualNetworks: [vnetId('x'), vnetId('X')] }))).toEqual(['consumerVirtualNetworks[1]: duplicate virtual network']);
    expect(problems(policyInput({ endpointPlacement: { eastus: { subnetId: subnetId('a'), subnet: 'x' } as never } }))).toEqual([
      "endpointPlacement.eastus.subnet: unknown key 'subnet'",
    ]);
    expect(problems(policyInput({ connectionApproval: { mode: 'sometimes' } as never }))).toEqual([
      "connectionApproval.mode: mode must be 'leave' or 'approve-listed'",
    ]);
    expect(problems(policyInput({ cloud: 'Mars' as never }))).toEqual(['cloud: cloud must be one of AzureCloud, AzureChinaCloud, AzureUSGovernment']);
    expect(problems('{"scopes": ')).toEqual([expect.stringMatching(/^\(root\): not valid JSON \(/)]);
    expect(() => parsePolicy('nope')).toThrow(/Invalid policy \(1 problem\):\n {2}- \(root\): not valid JSON/);
    expect(problems(42)).toEqual([expect.stringMatching(/^\(root\): /)]);
  });

  it('the error message counts the problems', () => {
    expect(() => parsePolicy({})).toThrow(/^Invalid policy \(2 problems\):\n {2}- scopes: /);
  });
});

describe('per-cache override and scope', () => {
  const policy = parsePolicy(policyInput({ mode: 'audit' }));

  it('the tag overrides the mode (tag name and value are case-insensitive)', () => {
    expect(effectiveMode(policy, {})).toBe('audit');
    expect(effectiveMode(policy, { 'privatelink-autopilot': 'enforce' })).toBe('enforce');
    expect(effectiveMode(policy, { 'PrivateLink-Autopilot': ' Exempt ' })).toBe('exempt');
    expect(effectiveMode({ ...policy, mode: 'enforce' }, { 'privatelink-autopilot': 'audit' })).toBe('audit');
  });

  it('an invalid tag value falls back to the policy mode and is reported by overrideOf', () => {
    expect(effectiveMode(policy, { 'privatelink-autopilot': 'yes please' })).toBe('audit');
    expect(overrideOf(policy, { 'privatelink-autopilot': 'yes please' })).toEqual({ invalid: 'yes please' });
    expect(overrideOf({ ...policy, overrideTag: 'pla' }, { pla: 'exempt', 'privatelink-autopilot': 'enforce' })).toEqual({ value: 'exempt' });
  });

  it('inScope and placementFor', () => {
    expect(inScope(policy, SUB.toUpperCase())).toBe(true);
    expect(inScope(policy, DNS_SUB)).toBe(false);
    expect(placementFor(policy, 'East US')?.subnetId).toBe(subnetId('vnet-hub'));
    expect(placementFor(policy, 'westus')).toBeUndefined();
    expect(normalizeRegion('West Central US')).toBe('westcentralus');
  });
});
