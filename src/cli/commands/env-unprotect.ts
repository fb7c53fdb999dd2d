import { protectionCommand } from '../environment-protection'

export default protectionCommand(false)
