/**
 * Azure region names: ARM accepts `eastus` or `East US` and Redis answers with the display name.
 * The table covers the public regions; unknown names are passed through unchanged.
 */
const DISPLAY_NAMES: Record<string, string> = {
  eastus: 'East US', eastus2: 'East US 2', westus: 'West US', westus2: 'West US 2', westus3: 'West US 3',
  centralus: 'Central US', northcentralus: 'North Central US', southcentralus: 'South Central US',
  westcentralus: 'West Central US', canadacentral: 'Canada Central', canadaeast: 'Canada East',
  brazilsouth: 'Brazil South', northeurope: 'North Europe', westeurope: 'West Europe', uksouth: 'UK South',
  ukwest: 'UK West', francecentral: 'France Central', francesouth: 'France South',
  germanywestcentral: 'Germany West Central', norwayeast: 'Norway East', swedencentral: 'Sweden Central',
  switzerlandnorth: 'Switzerland North', polandcentral: 'Poland Central', italynorth: 'Italy North',
  spaincentral: 'Spain Central', eastasia: 'East Asia', southeastasia: 'Southeast Asia',
  japaneast: 'Japan East', japanwest: 'Japan West', koreacentral: 'Korea Central', koreasouth: 'Korea South',
  australiaeast: 'Australia East', australiasoutheast: 'Australia Southeast', australiacentral: 'Australia Central',
  centralindia: 'Central India', southindia: 'South India', westindia: 'West India', uaenorth: 'UAE North',
  southafricanorth: 'South Africa North', qatarcentral: 'Qatar Central', israelcentral: 'Israel Central',
  mexicocentral: 'Mexico Central', chinanorth3: 'China North 3', chinaeast2: 'China East 2',
  usgovvirginia: 'USGov Virginia', usgovarizona: 'USGov Arizona', usgovtexas: 'USGov Texas',
};

/** `East US` / `eastus` / `EastUS` -> `eastus`. */
export function normalizeLocation(location: string): string {
  return location.replace(/\s+/g, '').toLowerCase();
}

/** `eastus` / `East US` -> `East US` (unknown names unchanged). */
export function locationDisplayName(location: string): string {
  return DISPLAY_NAMES[normalizeLocation(location)] ?? location;
}

export function isKnownLocation(location: string): boolean {
  return normalizeLocation(location) in DISPLAY_NAMES;
}

export function sameLocation(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && normalizeLocation(a) === normalizeLocation(b);
}
