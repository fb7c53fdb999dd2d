import { z } from 'zod'
import type { AgentRequestBody } from './agent-protocol'
import { connectionDetailSchema, connectionSummarySchema } from './connections'
import { connectionUsageSchema, environmentSchema } from './environments'
import { connectionHealthSchema } from './health'

/**
 * The agent's answers that show what the vault holds (ls, show, verify, env ls). Apart from
 * agent-protocol.ts, which loads this module only when a command asks for one of these: building
 * the connection, health and environment schemas is most of what an exec or credential-process
 * call through the agent would otherwise spend before it even connects.
 */
export const listingAnswerSchemas = {
  ls: z.array(connectionSummarySchema.extend({ environments: z.array(z.string()) })),
  show: z.object({
    detail: connectionDetailSchema,
    environments: z.array(
      z.object({ id: z.string(), name: z.string(), slug: z.string(), protected: z.boolean() }),
    ),
    usage: connectionUsageSchema,
  }),
  verify: z.array(
    z.object({
      name: z.string(),
      provider: z.string(),
      health: connectionHealthSchema.optional(),
      refused: z.string().optional(),
    }),
  ),
  'env-ls': z.array(environmentSchema),
} satisfies Record<
  Exclude<
    AgentRequestBody['op'],
    'exec' | 'credential-process' | 'credential-helper' | 'team-use' | 'status' | 'lock' | 'unlock'
  >,
  z.ZodType
>
