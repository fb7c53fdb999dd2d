import type { DesktopHost } from '../desktop/desktop-host'
import type { FeatureHandlers } from './handlers'

export function commandLineHandlers(desktop: DesktopHost): FeatureHandlers<'commandLine'> {
  return {
    status: () => desktop.commandLineStatus(),
    installTool: (request) => desktop.installCommandLineTool(request),
  }
}
