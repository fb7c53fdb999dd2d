import { authorizationCommand } from '../authorization'

export default authorizationCommand('revoke')
