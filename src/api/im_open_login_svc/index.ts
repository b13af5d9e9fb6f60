/** The commands of `v4/im_open_login_svc` (spec §3; kick: spec part 2 §19.2). */
import { account_check } from './account_check.js'
import { account_delete } from './account_delete.js'
import { account_import } from './account_import.js'
import { kick } from './kick.js'
import { multiaccount_import } from './multiaccount_import.js'

export const loginCommands = [account_import, multiaccount_import, account_delete, account_check, kick]
