import { parseCapabilities, type AwsCapabilityId } from '../shared/aws/capabilities'
import { UsageError } from './framework/errors'

/** --capabilities of the aws commands, or a usage error naming the valid ids. */
export function capabilitiesOption(text: string, command: string): AwsCapabilityId[] {
  const parsed = parseCapabilities(text)
  if (!parsed.ok) throw new UsageError(`--capabilities: ${parsed.problem}`, command)
  return parsed.ids
}
