import {
  awsProfilePreviewSchema,
  awsProfileRequestSchema,
  awsProfileWriteSchema,
  awsProfileWrittenSchema,
} from '../../aws-profile'
import { channel } from '../define'

export const awsConfigChannels = {
  /** What "Add to ~/.aws/config" would write, and whether a profile of that name is there. */
  previewProfile: channel(awsProfileRequestSchema, awsProfilePreviewSchema),
  /** Writes that one section; refuses to replace an existing profile unless `replace`. */
  writeProfile: channel(awsProfileWriteSchema, awsProfileWrittenSchema),
}
