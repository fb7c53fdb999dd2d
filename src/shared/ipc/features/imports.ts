import { z } from 'zod'
import { connectionSummarySchema } from '../../connections'
import { channel } from '../define'

const choices = z
  .object({
    items: z
      .array(
        z.object({ source: z.string().min(1), name: z.string().trim().min(1).max(100) }).strict(),
      )
      .min(1, 'Choose at least one item to import.')
      .max(500),
  })
  .strict()

const preview = <T extends z.ZodType>(item: T) =>
  z.object({ path: z.string(), found: z.boolean(), items: z.array(item) })

export const awsProfilePreviewSchema = z.object({
  profile: z.string(),
  accessKeyId: z.string(),
  region: z.string().optional(),
  temporary: z.boolean(),
  problem: z.string().optional(),
})

export const kubeContextPreviewSchema = z.object({
  context: z.string(),
  cluster: z.string(),
  user: z.string(),
  server: z.string().optional(),
  namespace: z.string().optional(),
  problem: z.string().optional(),
})

/** Previews never carry secret values; imports read the files again in main. */
export const importsChannels = {
  awsProfiles: channel(z.undefined(), preview(awsProfilePreviewSchema)),
  importAwsProfiles: channel(choices, z.array(connectionSummarySchema)),
  kubeContexts: channel(z.undefined(), preview(kubeContextPreviewSchema)),
  importKubeContexts: channel(choices, z.array(connectionSummarySchema)),
}
