import { quote } from '../providers/fields'
import { ecrRegistry, ecs, eks, lambdaCompute } from './container-capabilities'
import {
  cloudWatchMonitoring,
  kmsEncryption,
  rdsDatabases,
  route53Dns,
  s3Storage,
  vpcNetworking,
} from './infrastructure-capabilities'

/**
 * What an AWS connection may be used for, and the IAM actions each use needs. The actions are
 * what a platform tool (Terraform, the AWS CLI, kubectl's EKS login, a deploy pipeline) calls to
 * read and manage that service: each is named exactly, never by a service wildcard such as
 * "s3:*", so the generated role grants nothing a capability does not list. New AWS actions are
 * therefore not granted until they are added here, which is the point of least privilege.
 *
 * Resources are "*" in the generated policies: the resources do not exist yet when the role is
 * created (the tool creates them), and many of these actions (ecr:GetAuthorizationToken,
 * s3:ListAllMyBuckets, the EC2 Describe calls, every List of an account's resources) support no
 * resource scoping at all. The catalog is split in two files by kind; this one orders them.
 */
export interface AwsCapability {
  /** Lowercase, as typed in --capabilities and stored in the connection. */
  id: string
  label: string
  description: string
  /** AWS's "Read" and "List" access levels. */
  read: readonly string[]
  /** AWS's "Write", "Tagging" and "Permissions management" access levels. */
  write: readonly string[]
  /**
   * Services this capability hands a role to (an EKS cluster role, an ECS task role, a Lambda
   * execution role): iam:PassRole is granted only with iam:PassedToService naming them.
   */
  passRoleTo?: readonly string[]
}

/** In the order forms and messages list them. */
export const awsCapabilities = [
  eks,
  ecs,
  vpcNetworking,
  s3Storage,
  rdsDatabases,
  lambdaCompute,
  route53Dns,
  cloudWatchMonitoring,
  ecrRegistry,
  kmsEncryption,
] as const

export type AwsCapabilityId = (typeof awsCapabilities)[number]['id']

export const awsCapabilityIds: readonly AwsCapabilityId[] = awsCapabilities.map((c) => c.id)

/**
 * "eks, S3,eks" -> ['eks', 's3'] in catalog order, or the problem: an empty list, or unknown ids
 * named with the valid ones listed.
 */
export function parseCapabilities(
  text: string,
): { ok: true; ids: AwsCapabilityId[] } | { ok: false; problem: string } {
  const words = text
    .split(',')
    .map((word) => word.trim().toLowerCase())
    .filter((word) => word !== '')
  if (words.length === 0)
    return { ok: false, problem: `name at least one of ${awsCapabilityIds.join(', ')}.` }
  const known = new Set<string>(awsCapabilityIds)
  const unknown = [...new Set(words.filter((word) => !known.has(word)))]
  if (unknown.length > 0)
    return {
      ok: false,
      problem: `${unknown.map(quote).join(', ')} ${unknown.length === 1 ? 'is not a capability' : 'are not capabilities'}. Valid ones: ${awsCapabilityIds.join(', ')} (comma-separated).`,
    }
  const chosen = new Set(words)
  return { ok: true, ids: awsCapabilityIds.filter((id) => chosen.has(id)) }
}

export function getCapability(id: AwsCapabilityId): AwsCapability {
  return awsCapabilities.find((capability) => capability.id === id)!
}

/**
 * A connection's stored capabilities. Connections saved before capabilities existed have none
 * stored: they meant all of them.
 */
export function storedCapabilities(stored: string | undefined): AwsCapabilityId[] {
  const parsed = parseCapabilities(stored ?? '')
  return parsed.ok ? parsed.ids : [...awsCapabilityIds]
}
