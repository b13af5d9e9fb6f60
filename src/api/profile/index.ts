/** The commands of `v4/profile`: profile fields (spec part 2 §20). */
import { portrait_get } from './portrait_get.js'
import { portrait_set } from './portrait_set.js'

export const profileCommands = [portrait_set, portrait_get]
