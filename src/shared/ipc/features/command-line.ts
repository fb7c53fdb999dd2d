import { z } from 'zod'
import { channel } from '../define'

/** Whether the app's agent serves the bridgekeep command (see main/agent/app-agent.ts). */
export const hostedAgentStatusSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('serving'), socket: z.string() }),
  /** Another agent (bridgekeep agent) answers on the socket and serves the CLI instead. */
  z.object({ state: z.literal('elsewhere'), socket: z.string() }),
  z.object({ state: z.literal('off'), socket: z.string(), problem: z.string().optional() }),
])
export type HostedAgentStatus = z.infer<typeof hostedAgentStatusSchema>

/** The packaged `bridgekeep` executable and its place on PATH (main/desktop/command-line-tool.ts). */
export const commandLineToolStatusSchema = z.discriminatedUnion('state', [
  /** `link` (a symlink, or a folder on the user PATH on Windows) leads to `executable`. */
  z.object({
    state: z.literal('installed'),
    link: z.string(),
    executable: z.string(),
    /** Whether the link's folder is on PATH; `note` says how to add it when not. */
    onPath: z.boolean(),
    note: z.string().optional(),
  }),
  z.object({
    state: z.literal('not-installed'),
    /** Where the install would put it. */
    link: z.string(),
    executable: z.string(),
    /** What to do by hand where the app does not change PATH itself (Windows). */
    note: z.string().optional(),
  }),
  /** Something else is already at `link`: replaced only when confirmed. */
  z.object({
    state: z.literal('conflict'),
    link: z.string(),
    executable: z.string(),
    existing: z.string(),
  }),
  /** No packaged executable: a source checkout, or an app built without it. */
  z.object({ state: z.literal('unavailable'), reason: z.string(), hint: z.string() }),
])
export type CommandLineToolStatus = z.infer<typeof commandLineToolStatusSchema>

export const commandLineStatusSchema = z.object({
  agent: hostedAgentStatusSchema,
  tool: commandLineToolStatusSchema,
})
export type CommandLineStatus = z.infer<typeof commandLineStatusSchema>

export const installToolRequestSchema = z
  .object({
    /** Replace a different file already at the link's place (after the user confirmed it). */
    replace: z.boolean().default(false),
  })
  .strict()

export const commandLineChannels = {
  status: channel(z.undefined(), commandLineStatusSchema),
  /** Links the packaged executable onto PATH; refuses to replace another file unless told to. */
  installTool: channel(installToolRequestSchema, commandLineStatusSchema),
}
