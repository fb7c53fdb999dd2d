/** Select options: value is what tools expect, label is what people recognise. */
export interface Option {
  value: string
  label: string
}

const options = (entries: readonly (readonly [string, string])[]): readonly Option[] =>
  entries.map(([value, place]) => ({ value, label: `${value} — ${place}` }))

/** AWS commercial, GovCloud and China regions (opt-in regions included). */
export const awsRegions = options([
  ['us-east-1', 'US East (N. Virginia)'],
  ['us-east-2', 'US East (Ohio)'],
  ['us-west-1', 'US West (N. California)'],
  ['us-west-2', 'US West (Oregon)'],
  ['af-south-1', 'Africa (Cape Town)'],
  ['ap-east-1', 'Asia Pacific (Hong Kong)'],
  ['ap-east-2', 'Asia Pacific (Taipei)'],
  ['ap-south-1', 'Asia Pacific (Mumbai)'],
  ['ap-south-2', 'Asia Pacific (Hyderabad)'],
  ['ap-southeast-1', 'Asia Pacific (Singapore)'],
  ['ap-southeast-2', 'Asia Pacific (Sydney)'],
  ['ap-southeast-3', 'Asia Pacific (Jakarta)'],
  ['ap-southeast-4', 'Asia Pacific (Melbourne)'],
  ['ap-southeast-5', 'Asia Pacific (Malaysia)'],
  ['ap-southeast-6', 'Asia Pacific (New Zealand)'],
  ['ap-southeast-7', 'Asia Pacific (Thailand)'],
  ['ap-northeast-1', 'Asia Pacific (Tokyo)'],
  ['ap-northeast-2', 'Asia Pacific (Seoul)'],
  ['ap-northeast-3', 'Asia Pacific (Osaka)'],
  ['ca-central-1', 'Canada (Central)'],
  ['ca-west-1', 'Canada West (Calgary)'],
  ['eu-central-1', 'Europe (Frankfurt)'],
  ['eu-central-2', 'Europe (Zurich)'],
  ['eu-west-1', 'Europe (Ireland)'],
  ['eu-west-2', 'Europe (London)'],
  ['eu-west-3', 'Europe (Paris)'],
  ['eu-south-1', 'Europe (Milan)'],
  ['eu-south-2', 'Europe (Spain)'],
  ['eu-north-1', 'Europe (Stockholm)'],
  ['il-central-1', 'Israel (Tel Aviv)'],
  ['me-south-1', 'Middle East (Bahrain)'],
  ['me-central-1', 'Middle East (UAE)'],
  ['mx-central-1', 'Mexico (Central)'],
  ['sa-east-1', 'South America (São Paulo)'],
  ['us-gov-east-1', 'AWS GovCloud (US-East)'],
  ['us-gov-west-1', 'AWS GovCloud (US-West)'],
  ['cn-north-1', 'China (Beijing)'],
  ['cn-northwest-1', 'China (Ningxia)'],
])

export type AwsPartition = 'aws' | 'aws-us-gov' | 'aws-cn'

/** The partition a region belongs to: an ARN and a region must agree on it. */
export function awsPartition(region: string): AwsPartition {
  if (region.startsWith('us-gov-')) return 'aws-us-gov'
  if (region.startsWith('cn-')) return 'aws-cn'
  return 'aws'
}

export const digitalOceanRegions = options([
  ['nyc1', 'New York 1'],
  ['nyc3', 'New York 3'],
  ['sfo2', 'San Francisco 2'],
  ['sfo3', 'San Francisco 3'],
  ['ams3', 'Amsterdam 3'],
  ['sgp1', 'Singapore 1'],
  ['lon1', 'London 1'],
  ['fra1', 'Frankfurt 1'],
  ['tor1', 'Toronto 1'],
  ['blr1', 'Bangalore 1'],
  ['syd1', 'Sydney 1'],
  ['atl1', 'Atlanta 1'],
])

export const civoRegions = options([
  ['LON1', 'London'],
  ['NYC1', 'New York'],
  ['FRA1', 'Frankfurt'],
  ['PHX1', 'Phoenix'],
])

export const scalewayRegions = options([
  ['fr-par', 'Paris'],
  ['nl-ams', 'Amsterdam'],
  ['pl-waw', 'Warsaw'],
  ['it-mil', 'Milan'],
])

export const scalewayZones = options([
  ['fr-par-1', 'Paris 1'],
  ['fr-par-2', 'Paris 2'],
  ['fr-par-3', 'Paris 3'],
  ['nl-ams-1', 'Amsterdam 1'],
  ['nl-ams-2', 'Amsterdam 2'],
  ['nl-ams-3', 'Amsterdam 3'],
  ['pl-waw-1', 'Warsaw 1'],
  ['pl-waw-2', 'Warsaw 2'],
  ['pl-waw-3', 'Warsaw 3'],
  ['it-mil-1', 'Milan 1'],
])
