import { useMutation } from '@tanstack/react-query'
import type { z } from 'zod'
import type { awsProfileRequestSchema, awsProfileWriteSchema } from '../../shared/aws-profile'
import { api } from './client'

/** What "Add to ~/.aws/config" would write (nothing is written yet). */
export function usePreviewAwsProfile() {
  return useMutation({
    mutationFn: (request: z.input<typeof awsProfileRequestSchema>) =>
      api.awsConfig.previewProfile(request),
  })
}

export function useWriteAwsProfile() {
  return useMutation({
    mutationFn: (request: z.input<typeof awsProfileWriteSchema>) =>
      api.awsConfig.writeProfile(request),
  })
}
